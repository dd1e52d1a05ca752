namespace HmRec.Durable.History;

/// <summary>A client terminated the instance.</summary>
public sealed record ExecutionTerminatedEvent(int EventId, DateTime Timestamp, string? Reason) : HistoryEvent(EventId, Timestamp);
