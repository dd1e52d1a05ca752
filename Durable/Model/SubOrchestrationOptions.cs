namespace HmRec.Durable.Model;

/// <summary>Options of a sub-orchestration call: its instance id (default: derived from the parent's) and retry.</summary>
public sealed record SubOrchestrationOptions(string? InstanceId = null, RetryPolicy? Retry = null) : TaskOptions(Retry);
