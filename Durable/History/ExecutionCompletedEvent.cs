using HmRec.Durable.Model;
using HmRec.Durable.Client;

namespace HmRec.Durable.History;

/// <summary>The execution ended: completed, failed, terminated or continued as new.</summary>
public sealed record ExecutionCompletedEvent(int EventId, DateTime Timestamp, OrchestrationRuntimeStatus Status, string? Result, TaskFailureDetails? FailureDetails) : HistoryEvent(EventId, Timestamp);
