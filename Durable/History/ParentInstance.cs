namespace HmRec.Durable.History;

/// <summary>The parent of a sub-orchestration, and the task id the parent awaits it under.</summary>
public sealed record ParentInstance(string InstanceId, string Name, int TaskScheduledId);
