namespace HmRec.Durable.Stores;

/// <summary>A locked activity call. DequeueCount counts how often it was handed out, this time included.</summary>
public sealed record ActivityWorkItem(long Id, string InstanceId, string ExecutionId, int TaskId, string Name, string? Input, int DequeueCount, string LockedBy);
