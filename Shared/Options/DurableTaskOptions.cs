namespace HmRec.Shared.Options;

/// <summary>
/// host.json <c>extensions.durableTask</c>, with Durable Functions' setting names: the task hub on the Azure
/// Storage backend and one worker's concurrency. Storage settings sit under <c>storageProvider</c>.
/// </summary>
public sealed record DurableTaskOptions
{
    /// <summary><c>hubName</c>: 3-45 letters and digits, starting with a letter (as Azure requires).</summary>
    public string HubName { get; init; } = "HmRecHub";

    /// <summary><c>maxConcurrentActivityFunctions</c>: activities one worker runs at once.</summary>
    public int MaxConcurrentActivityFunctions { get; init; } = 2;

    /// <summary><c>maxConcurrentOrchestratorFunctions</c>: orchestration episodes one worker runs at once.</summary>
    public int MaxConcurrentOrchestratorFunctions { get; init; } = 8;

    /// <summary><c>extendedSessionsEnabled</c>: keep orchestrations in memory between episodes instead of replaying them.</summary>
    public bool ExtendedSessionsEnabled { get; init; }

    /// <summary><c>storageProvider.type</c>: only <c>AzureStorage</c>, the task hub of Durable Functions' default backend.</summary>
    public string StorageProvider { get; init; } = "AzureStorage";

    /// <summary><c>storageProvider.partitionCount</c>: control queues (1-16); fixed once the hub exists.</summary>
    public int PartitionCount { get; init; } = 4;

    /// <summary><c>storageProvider.controlQueueBatchSize</c>: messages fetched from a control queue at once (1-32).</summary>
    public int ControlQueueBatchSize { get; init; } = 32;

    /// <summary>
    /// <c>storageProvider.maxQueuePollingInterval</c>: the longest wait between polls of an empty queue, so also the
    /// longest delay before an idle worker sees new work.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>storageProvider.workItemQueueVisibilityTimeout</c>: how long a fetched activity message stays invisible; after a
    /// worker dies, its activities run again on another worker once this has passed (renewed while an activity runs).
    /// </summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>storageProvider.controlQueueVisibilityTimeout</c>: the same for orchestration messages.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>storageProvider.useTablePartitionManagement</c>: partition ownership kept in a table instead of blob leases.</summary>
    public bool UseTablePartitionManagement { get; init; } = true;
}
