namespace HmRec.Durable.History;

/// <summary>A sub-orchestration completed.</summary>
public sealed record SubOrchestrationCompletedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(EventId, Timestamp);
