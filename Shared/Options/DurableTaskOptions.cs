namespace HmRec.Shared.Options;

/// <summary>host.json <c>extensions.durableTask</c>: the task hub and the worker's concurrency.</summary>
public sealed record DurableTaskOptions
{
    /// <summary>Task hub name: 3–45 letters and digits, starting with a letter (as Azure requires).</summary>
    public string HubName { get; init; } = "HmRecHub";

    /// <summary>Activities one worker runs at once.</summary>
    public int MaxConcurrentActivityFunctions { get; init; } = 2;

    /// <summary>Orchestration episodes one worker runs at once.</summary>
    public int MaxConcurrentOrchestratorFunctions { get; init; } = 8;

    /// <summary><c>storageProvider.type</c>: "sqlite" (embedded default) or "azureStorage".</summary>
    public string StorageProvider { get; init; } = "sqlite";
}
