namespace HmRec.Durable.History;

/// <summary>An activity returned.</summary>
public sealed record TaskCompletedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, string? Result) : HistoryEvent(EventId, Timestamp);
