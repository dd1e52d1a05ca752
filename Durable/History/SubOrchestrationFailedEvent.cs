using HmRec.Durable.Model;

namespace HmRec.Durable.History;

/// <summary>A sub-orchestration failed.</summary>
public sealed record SubOrchestrationFailedEvent(int EventId, DateTime Timestamp, int TaskScheduledId, TaskFailureDetails FailureDetails) : HistoryEvent(EventId, Timestamp);
