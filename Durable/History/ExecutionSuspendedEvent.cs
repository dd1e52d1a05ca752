namespace HmRec.Durable.History;

/// <summary>A client suspended the instance.</summary>
public sealed record ExecutionSuspendedEvent(int EventId, DateTime Timestamp, string? Reason) : HistoryEvent(EventId, Timestamp);
