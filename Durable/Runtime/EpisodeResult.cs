using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Model;

namespace HmRec.Durable.Runtime;

/// <summary>What one orchestration episode produced; the store commits all of it in one transaction.</summary>
public sealed record EpisodeResult
{
    /// <summary>Events to append to history, in order.</summary>
    public required IReadOnlyList<HistoryEvent> NewHistory { get; init; }

    public required IReadOnlyList<ActivityRequest> Activities { get; init; }

    public required IReadOnlyList<TimerRequest> Timers { get; init; }

    public required IReadOnlyList<SubOrchestrationRequest> SubOrchestrations { get; init; }

    /// <summary>The instance's status after the episode.</summary>
    public required OrchestrationRuntimeStatus Status { get; init; }

    public string? Output { get; init; }

    public TaskFailureDetails? Failure { get; init; }

    public string? CustomStatus { get; init; }

    /// <summary>Set when the orchestrator continued as new: the next execution's input and carried-over events.</summary>
    public ContinueAsNewRequest? ContinueAsNew { get; init; }
}

public sealed record ActivityRequest(int TaskId, string Name, string? Input);

public sealed record TimerRequest(int TimerId, DateTime FireAt);

public sealed record SubOrchestrationRequest(int TaskId, string Name, string InstanceId, string? Input);

public sealed record ContinueAsNewRequest(string? Input, IReadOnlyList<EventRaisedEvent> CarryOver);
