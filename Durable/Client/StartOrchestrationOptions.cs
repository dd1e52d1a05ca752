namespace HmRec.Durable.Client;

/// <summary>Options of a new instance: its id (default: a new GUID) and an optional delayed start.</summary>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTime? StartAt = null);
