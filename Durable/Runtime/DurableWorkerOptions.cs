namespace HmRec.Durable.Runtime;

/// <summary>A worker's limits and timings; the concurrency limits mirror host.json's durableTask settings.</summary>
public sealed record DurableWorkerOptions
{
    /// <summary>host.json <c>maxConcurrentActivityFunctions</c>.</summary>
    public int MaxConcurrentActivities { get; init; } = 2;

    /// <summary>host.json <c>maxConcurrentOrchestratorFunctions</c>.</summary>
    public int MaxConcurrentOrchestrations { get; init; } = 8;

    /// <summary>How long an activity lease lasts; renewed while the activity runs, so it expires only when its worker is gone.</summary>
    public TimeSpan ActivityLease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an orchestration episode's lease lasts.</summary>
    public TimeSpan OrchestrationLease { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Activities one worker leases ahead of its free slots; null = max(16, 4 × MaxConcurrentActivities).</summary>
    public int? ActivityPrefetch { get; init; }

    /// <summary>After this many hand-outs without completing, an activity is failed as poison instead of retried for ever.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>Instances whose executors are kept in memory between episodes (extended sessions).</summary>
    public int SessionCacheSize { get; init; } = 1000;

    /// <summary>The longest an idle dispatcher waits before it looks for work again (work in this process wakes it at once).</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether this worker runs orchestration episodes (a host can run only activities, or only orchestrations).</summary>
    public bool DispatchOrchestrations { get; init; } = true;

    /// <summary>Whether this worker runs activities.</summary>
    public bool DispatchActivities { get; init; } = true;

    /// <summary>This worker's name in leases; unique per process by default.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public void Validate()
    {
        if (MaxConcurrentActivities < 1 || MaxConcurrentOrchestrations < 1)
        {
            throw new ArgumentException("MaxConcurrentActivities and MaxConcurrentOrchestrations must be at least 1.");
        }
        if (ActivityPrefetch is < 1)
        {
            throw new ArgumentException($"ActivityPrefetch must be at least 1 (got {ActivityPrefetch}).");
        }
        if (MaxDequeueCount < 1)
        {
            throw new ArgumentException($"MaxDequeueCount must be at least 1 (got {MaxDequeueCount}).");
        }
        if (ActivityLease <= TimeSpan.Zero || OrchestrationLease <= TimeSpan.Zero)
        {
            throw new ArgumentException("Leases must be positive.");
        }
    }
}
