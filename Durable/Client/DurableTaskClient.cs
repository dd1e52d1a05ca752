using HmRec.Durable.History;
using HmRec.Durable.Serialization;
using HmRec.Durable.Stores;

namespace HmRec.Durable.Client;

/// <summary>Starts, inspects and controls orchestration instances in a task hub.</summary>
public sealed class DurableTaskClient(IDurableStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <summary>Schedules a new instance and returns its id; throws <see cref="InstanceAlreadyExistsException"/> for an id still running.</summary>
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(string name, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        await store.CreateInstanceAsync(id, name, DurableJson.Serialize(input), options?.StartAt, cancellationToken).ConfigureAwait(false);
        return id;
    }

    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getHistory = false, CancellationToken cancellationToken = default) =>
        store.GetInstanceAsync(instanceId, getHistory, cancellationToken);

    /// <summary>Waits until the instance is Completed, Failed or Terminated.</summary>
    public async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var state = await GetInstanceAsync(instanceId, false, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"No orchestration instance has the id '{instanceId}'.", nameof(instanceId));
            if (state.IsCompleted)
            {
                return state;
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    /// <summary>Sends an event to a waiting (or not yet waiting) instance.</summary>
    public Task RaiseEventAsync(string instanceId, string eventName, object? eventData = null, CancellationToken cancellationToken = default) =>
        Send(instanceId, new EventRaisedEvent(-1, Now, eventName, DurableJson.Serialize(eventData)), cancellationToken);

    public Task TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        Send(instanceId, new ExecutionTerminatedEvent(-1, Now, reason), cancellationToken);

    public Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        Send(instanceId, new ExecutionSuspendedEvent(-1, Now, reason), cancellationToken);

    public Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        Send(instanceId, new ExecutionResumedEvent(-1, Now, reason), cancellationToken);

    /// <summary>Removes a finished instance and its history; false when there is none.</summary>
    public Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default) => store.PurgeInstanceAsync(instanceId, cancellationToken);

    public Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default) => store.PurgeInstancesAsync(filter, cancellationToken);

    public Task<OrchestrationQueryResult> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default) => store.QueryInstancesAsync(query, cancellationToken);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task Send(string instanceId, HistoryEvent e, CancellationToken cancellationToken)
    {
        if (!await store.SendEventAsync(instanceId, e, cancellationToken).ConfigureAwait(false))
        {
            throw new ArgumentException($"No orchestration instance has the id '{instanceId}'.", nameof(instanceId));
        }
    }
}
