using HmRec.Durable.Client;
using HmRec.Durable.History;

namespace HmRec.Durable.Stores;

/// <summary>A locked instance with the messages waiting for it; HistoryCount lets a worker trust its cached executor.</summary>
public sealed record OrchestrationWorkItem(
    string InstanceId,
    string ExecutionId,
    string Name,
    OrchestrationRuntimeStatus Status,
    int HistoryCount,
    IReadOnlyList<HistoryEvent> NewEvents,
    IReadOnlyList<long> MessageIds,
    string LockedBy);
