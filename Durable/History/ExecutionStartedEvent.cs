namespace HmRec.Durable.History;

/// <summary>A new execution began: the orchestrator's name and input, its execution id and, for a sub-orchestration, its parent.</summary>
public sealed record ExecutionStartedEvent(int EventId, DateTime Timestamp, string Name, string? Input, string ExecutionId, ParentInstance? Parent) : HistoryEvent(EventId, Timestamp);
