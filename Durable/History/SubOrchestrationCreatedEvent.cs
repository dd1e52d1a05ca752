namespace HmRec.Durable.History;

/// <summary>The orchestrator started a sub-orchestration; EventId is the task id.</summary>
public sealed record SubOrchestrationCreatedEvent(int EventId, DateTime Timestamp, string Name, string InstanceId, string? Input) : HistoryEvent(EventId, Timestamp);
