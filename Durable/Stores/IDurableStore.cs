using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Runtime;

namespace HmRec.Durable.Stores;

/// <summary>
/// Where a task hub lives. Implementations must make each method atomic and must allow several worker
/// processes to share one hub: work items are leased (locked until a time) and a lease that expires
/// makes the item available again.
/// </summary>
public interface IDurableStore : IDisposable
{
    /// <summary>Raised in this process when new work may be available, so idle dispatchers wake at once.</summary>
    event Action? WorkAvailable;

    /// <summary>Creates an instance and its ExecutionStarted message; refuses an id that is still pending or running.</summary>
    Task CreateInstanceAsync(string instanceId, string name, string? input, DateTime? startAt, CancellationToken cancellationToken);

    /// <summary>Queues an event (raised event, terminate, suspend, resume) for an instance; false when it does not exist.</summary>
    Task<bool> SendEventAsync(string instanceId, HistoryEvent e, CancellationToken cancellationToken);

    Task<OrchestrationWorkItem?> LockNextOrchestrationAsync(string workerId, TimeSpan lockFor, CancellationToken cancellationToken);

    /// <summary>The current execution's history.</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Commits an episode in one transaction: history, consumed messages, new activities, timers,
    /// sub-orchestrations, the message to a parent, status and custom status. Throws
    /// <see cref="LockLostException"/> when the lease was lost.
    /// </summary>
    Task CompleteOrchestrationAsync(OrchestrationWorkItem item, EpisodeResult result, CancellationToken cancellationToken);

    /// <summary>Deletes the messages of an instance that has already finished.</summary>
    Task DiscardMessagesAsync(OrchestrationWorkItem item, CancellationToken cancellationToken);

    Task AbandonOrchestrationAsync(OrchestrationWorkItem item, CancellationToken cancellationToken);

    Task<IReadOnlyList<ActivityWorkItem>> LockNextActivitiesAsync(string workerId, int max, TimeSpan lockFor, CancellationToken cancellationToken);

    /// <summary>Deletes completed activities and queues their results, in one transaction; results of lost leases are dropped.</summary>
    Task CompleteActivitiesAsync(IReadOnlyList<(ActivityWorkItem Item, HistoryEvent Result)> results, CancellationToken cancellationToken);

    Task RenewActivityLocksAsync(IReadOnlyList<ActivityWorkItem> items, TimeSpan lockFor, CancellationToken cancellationToken);

    Task AbandonActivityAsync(ActivityWorkItem item, CancellationToken cancellationToken);

    Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool includeHistory, CancellationToken cancellationToken);

    Task<OrchestrationQueryResult> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken);

    /// <summary>Removes one finished instance; throws when it is still running.</summary>
    Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Removes the finished instances that match; returns how many.</summary>
    Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken);
}
