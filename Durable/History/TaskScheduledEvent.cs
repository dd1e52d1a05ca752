namespace HmRec.Durable.History;

/// <summary>The orchestrator scheduled activity <c>Name</c>; EventId is the task id.</summary>
public sealed record TaskScheduledEvent(int EventId, DateTime Timestamp, string Name, string? Input) : HistoryEvent(EventId, Timestamp);
