namespace HmRec.Durable.History;

/// <summary>A durable timer fired.</summary>
public sealed record TimerFiredEvent(int EventId, DateTime Timestamp, int TimerId, DateTime FireAt) : HistoryEvent(EventId, Timestamp);
