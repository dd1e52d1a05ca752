namespace HmRec.Durable.History;

/// <summary>An episode began; its timestamp is the orchestrator's CurrentUtcDateTime for the episode.</summary>
public sealed record OrchestratorStartedEvent(int EventId, DateTime Timestamp) : HistoryEvent(EventId, Timestamp);
