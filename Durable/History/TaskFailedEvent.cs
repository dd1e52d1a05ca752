using HmRec.Durable.Model;

namespace HmRec.Durable.History;

/// <summary>An activity threw.</summary>
public sealed record TaskFailedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, TaskFailureDetails FailureDetails) : HistoryEvent(EventId, Timestamp);
