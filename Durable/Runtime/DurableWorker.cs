using System.Threading.Channels;
using HmRec.Durable.Client;
using HmRec.Durable.History;
using HmRec.Durable.Model;
using HmRec.Durable.Serialization;
using HmRec.Durable.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HmRec.Durable.Runtime;

/// <summary>
/// Runs orchestrations and activities from a store: an orchestration dispatcher that runs episodes
/// (all pending events of an instance at once, with the instance's executor kept in memory between
/// episodes) and an activity dispatcher that leases activities, runs them within the concurrency limit,
/// renews their leases while they run and commits their results in batches.
/// </summary>
public sealed partial class DurableWorker : IAsyncDisposable
{
    private readonly DurableTaskRegistry registry;
    private readonly IDurableStore store;
    private readonly DurableWorkerOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly SessionCache sessions;
    private readonly AsyncSignal orchestrationWork = new();
    private readonly AsyncSignal activityWork = new();
    private readonly Channel<(ActivityWorkItem Item, HistoryEvent Result)> completions = Channel.CreateUnbounded<(ActivityWorkItem, HistoryEvent)>();
    private readonly Dictionary<long, ActivityWorkItem> running = [];
    private readonly SemaphoreSlim orchestrationSlots;
    private readonly SemaphoreSlim activitySlots;
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource aborting = new();
    private readonly List<Task> inFlight = [];
    private Task[] loops = [];

    public DurableWorker(DurableTaskRegistry registry, IDurableStore store, DurableWorkerOptions? options = null, TimeProvider? clock = null, ILogger? logger = null)
    {
        this.registry = registry;
        this.store = store;
        this.options = options ?? new DurableWorkerOptions();
        this.options.Validate();
        this.clock = clock ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        sessions = new SessionCache(this.options.SessionCacheSize);
        orchestrationSlots = new SemaphoreSlim(this.options.MaxConcurrentOrchestrations);
        activitySlots = new SemaphoreSlim(this.options.MaxConcurrentActivities);
        store.WorkAvailable += OnWorkAvailable;
    }

    /// <summary>Starts the dispatchers.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        var started = new List<Task> { Task.Run(CompletionLoopAsync, CancellationToken.None), Task.Run(RenewLoopAsync, CancellationToken.None) };
        if (options.DispatchOrchestrations)
        {
            started.Add(Task.Run(OrchestrationLoopAsync, CancellationToken.None));
        }
        if (options.DispatchActivities)
        {
            started.Add(Task.Run(ActivityLoopAsync, CancellationToken.None));
        }
        loops = [.. started];
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops taking work and lets running episodes and activities finish. If <paramref name="cancellationToken"/>
    /// fires first, running activities are cancelled and their leases released so another worker takes them at once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        Task[] pending;
        lock (inFlight)
        {
            pending = [.. inFlight];
        }
        try
        {
            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await aborting.CancelAsync().ConfigureAwait(false);
            ActivityWorkItem[] abandoned;
            lock (running)
            {
                abandoned = [.. running.Values];
            }
            foreach (var item in abandoned)
            {
                await store.AbandonActivityAsync(item, CancellationToken.None).ConfigureAwait(false);
            }
        }
        completions.Writer.TryComplete();
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        store.WorkAvailable -= OnWorkAvailable;
        if (!stopping.IsCancellationRequested)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        stopping.Dispose();
        aborting.Dispose();
        orchestrationSlots.Dispose();
        activitySlots.Dispose();
    }

    private void OnWorkAvailable()
    {
        orchestrationWork.Set();
        activityWork.Set();
    }

    private void Track(Task task)
    {
        lock (inFlight)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
            inFlight.Add(task);
        }
    }

    private async Task OrchestrationLoopAsync()
    {
        var idle = TimeSpan.FromMilliseconds(5);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await orchestrationSlots.WaitAsync(stopping.Token).ConfigureAwait(false);
                var item = await store.LockNextOrchestrationAsync(options.WorkerId, options.OrchestrationLease, stopping.Token).ConfigureAwait(false);
                if (item is null)
                {
                    orchestrationSlots.Release();
                    await orchestrationWork.WaitAsync(idle, stopping.Token).ConfigureAwait(false);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.MaxPollInterval.Ticks));
                    continue;
                }
                idle = TimeSpan.FromMilliseconds(5);
                Track(Task.Run(async () =>
                {
                    try
                    {
                        await RunEpisodeAsync(item).ConfigureAwait(false);
                    }
                    finally
                    {
                        orchestrationSlots.Release();
                    }
                }));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogDispatcherError(logger, "orchestration", e);
                await Task.Delay(options.MaxPollInterval).ConfigureAwait(false);
            }
        }
    }

    private async Task RunEpisodeAsync(OrchestrationWorkItem item)
    {
        if (item.Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            // Late messages for a finished instance (an activity result after termination) are dropped.
            await store.DiscardMessagesAsync(item, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        OrchestrationExecutor? executor = null;
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            EpisodeResult result;
            var orchestrator = registry.CreateOrchestrator(item.Name);
            if (orchestrator is null)
            {
                result = Failed(item, now, new TaskFailureDetails("OrchestratorNotRegistered", $"No orchestrator named '{item.Name}' is registered with this worker.", null, null));
            }
            else
            {
                executor = sessions.Take(item.InstanceId, item.ExecutionId, item.HistoryCount);
                IReadOnlyList<HistoryEvent> past = [];
                if (executor is null)
                {
                    executor = new OrchestrationExecutor(orchestrator, item.Name, item.InstanceId);
                    past = item.HistoryCount > 0 ? await store.GetHistoryAsync(item.InstanceId, CancellationToken.None).ConfigureAwait(false) : [];
                }
                result = executor.Execute(past, item.NewEvents, now);
            }
            // Cached before the commit releases the instance, so the next episode finds it; if the commit
            // fails, the cache's history-count check refuses the executor and the next episode replays.
            if (executor is not null && !executor.IsFinished && result.ContinueAsNew is null)
            {
                sessions.Put(item.InstanceId, executor);
            }
            await store.CompleteOrchestrationAsync(item, result, CancellationToken.None).ConfigureAwait(false);
        }
        catch (LockLostException e)
        {
            LogLockLost(logger, item.InstanceId, e.Message);
        }
        catch (Exception e)
        {
            LogEpisodeError(logger, item.InstanceId, e);
            await store.AbandonOrchestrationAsync(item, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static EpisodeResult Failed(OrchestrationWorkItem item, DateTime now, TaskFailureDetails failure) => new()
    {
        NewHistory = [.. item.NewEvents, new ExecutionCompletedEvent(-1, now, OrchestrationRuntimeStatus.Failed, null, failure)],
        Activities = [],
        Timers = [],
        SubOrchestrations = [],
        Status = OrchestrationRuntimeStatus.Failed,
        Failure = failure,
    };

    /// <summary>
    /// Leases up to <see cref="DurableWorkerOptions.ActivityPrefetch"/> activities at a time and starts each
    /// as a slot frees up; leases of waiting and running activities are renewed alike.
    /// </summary>
    private async Task ActivityLoopAsync()
    {
        var idle = TimeSpan.FromMilliseconds(5);
        var prefetch = options.ActivityPrefetch ?? Math.Max(16, 4 * options.MaxConcurrentActivities);
        while (!stopping.IsCancellationRequested)
        {
            IReadOnlyList<ActivityWorkItem> items = [];
            var started = 0;
            try
            {
                int room;
                lock (running)
                {
                    room = prefetch - running.Count;
                }
                if (room <= 0)
                {
                    await activityWork.WaitAsync(idle, stopping.Token).ConfigureAwait(false);
                    continue;
                }
                items = await store.LockNextActivitiesAsync(options.WorkerId, room, options.ActivityLease, stopping.Token).ConfigureAwait(false);
                if (items.Count == 0)
                {
                    await activityWork.WaitAsync(idle, stopping.Token).ConfigureAwait(false);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.MaxPollInterval.Ticks));
                    continue;
                }
                idle = TimeSpan.FromMilliseconds(5);
                lock (running)
                {
                    foreach (var item in items)
                    {
                        running[item.Id] = item;
                    }
                }
                foreach (var item in items)
                {
                    await activitySlots.WaitAsync(stopping.Token).ConfigureAwait(false);
                    started++;
                    Track(Task.Run(async () =>
                    {
                        try
                        {
                            var result = await RunActivityAsync(item).ConfigureAwait(false);
                            if (result is not null)
                            {
                                await completions.Writer.WriteAsync((item, result)).ConfigureAwait(false);
                            }
                        }
                        finally
                        {
                            lock (running)
                            {
                                running.Remove(item.Id);
                            }
                            activitySlots.Release();
                            activityWork.Set();
                        }
                    }));
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Leased but never started: hand them back at once rather than wait for the lease to expire.
                foreach (var item in items.Skip(started))
                {
                    lock (running)
                    {
                        running.Remove(item.Id);
                    }
                    await store.AbandonActivityAsync(item, CancellationToken.None).ConfigureAwait(false);
                }
                break;
            }
            catch (Exception e)
            {
                LogDispatcherError(logger, "activity", e);
                await Task.Delay(options.MaxPollInterval).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs one activity; null when the worker is aborting and the activity was released instead.</summary>
    private async Task<HistoryEvent?> RunActivityAsync(ActivityWorkItem item)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (item.DequeueCount > options.MaxDequeueCount)
        {
            return new TaskFailedEvent(-1, now, item.TaskId, new TaskFailureDetails("PoisonActivity",
                $"Activity '{item.Name}' (task #{item.TaskId} of {item.InstanceId}) was handed out {item.DequeueCount - 1} times without completing " +
                $"(its worker died or lost its lease each time); after MaxDequeueCount = {options.MaxDequeueCount} it is failed instead of retried for ever.", null, null));
        }
        var activity = registry.CreateActivity(item.Name);
        if (activity is null)
        {
            return new TaskFailedEvent(-1, now, item.TaskId, new TaskFailureDetails("ActivityNotRegistered", $"No activity named '{item.Name}' is registered with this worker.", null, null));
        }
        try
        {
            var input = DurableJson.Deserialize(item.Input, activity.InputType);
            var context = new TaskActivityContext(item.Name, item.InstanceId, item.TaskId, item.DequeueCount, aborting.Token);
            var output = await activity.RunAsync(context, input).ConfigureAwait(false);
            return new TaskCompletedEvent(-1, clock.GetUtcNow().UtcDateTime, item.TaskId, DurableJson.Serialize(output));
        }
        catch (OperationCanceledException) when (aborting.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            return new TaskFailedEvent(-1, clock.GetUtcNow().UtcDateTime, item.TaskId, TaskFailureDetails.FromException(e));
        }
    }

    /// <summary>Commits activity results in batches: everything that finished since the last commit goes in one transaction.</summary>
    private async Task CompletionLoopAsync()
    {
        var batch = new List<(ActivityWorkItem, HistoryEvent)>();
        while (await completions.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 2000 && completions.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                await store.CompleteActivitiesAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The leases will expire and the activities run again: at-least-once, never lost.
                LogDispatcherError(logger, "activity completion", e);
            }
            batch.Clear();
        }
    }

    private async Task RenewLoopAsync()
    {
        var every = TimeSpan.FromTicks(options.ActivityLease.Ticks / 3);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            ActivityWorkItem[] items;
            lock (running)
            {
                items = [.. running.Values];
            }
            if (items.Length > 0)
            {
                try
                {
                    await store.RenewActivityLocksAsync(items, options.ActivityLease, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    LogDispatcherError(logger, "lease renewal", e);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Dispatcher} dispatcher failed; it retries.")]
    private static partial void LogDispatcherError(ILogger logger, string dispatcher, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Episode of {InstanceId} dropped: {Reason}")]
    private static partial void LogLockLost(ILogger logger, string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Episode of {InstanceId} failed in the engine; the work item is released.")]
    private static partial void LogEpisodeError(ILogger logger, string instanceId, Exception exception);
}
