namespace HmRec.Durable.History;

/// <summary>An external event arrived.</summary>
public sealed record EventRaisedEvent(int EventId, DateTime Timestamp, string Name, string? Input) : HistoryEvent(EventId, Timestamp);
