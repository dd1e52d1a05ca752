using HmRec.Durable.History;
using HmRec.Durable.Model;
using HmRec.Durable.Serialization;

namespace HmRec.Durable.Runtime;

internal sealed partial class OrchestrationExecutor
{
    /// <summary>The context handed to orchestrator code; every call goes through the executor's bookkeeping.</summary>
    private sealed class Context(OrchestrationExecutor x, string name, string instanceId) : TaskOrchestrationContext
    {
        public override string Name => name;

        public override string InstanceId => instanceId;

        public override bool IsReplaying => x.replaying;

        public override DateTime CurrentUtcDateTime => x.now;

        public override Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null) =>
            WithRetry(options?.Retry, () => ActivityOnce<TResult>(name, DurableJson.Serialize(input)));

        public override Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, SubOrchestrationOptions? options = null)
        {
            var json = DurableJson.Serialize(input);
            return WithRetry(options?.Retry, () => SubOrchestrationOnce<TResult>(name, json, options?.InstanceId));
        }

        public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken = default)
        {
            var id = x.NextId();
            x.Schedule(new TimerAction(id, fireAt.Kind == DateTimeKind.Utc ? fireAt : DateTime.SpecifyKind(fireAt, DateTimeKind.Utc)));
            var tcs = new TaskCompletionSource();
            x.open[id] = _ => tcs.TrySetResult();
            if (cancellationToken.CanBeCanceled)
            {
                // Cancelling abandons the timer: when it fires later, nobody listens.
                cancellationToken.Register(() =>
                {
                    x.open.Remove(id);
                    tcs.TrySetCanceled(cancellationToken);
                });
            }
            return tcs.Task;
        }

        public override Task<T> WaitForExternalEvent<T>(string name, CancellationToken cancellationToken = default)
        {
            var index = x.buffered.FindIndex(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                var e = x.buffered[index];
                x.buffered.RemoveAt(index);
                return Task.FromResult((T)DurableJson.Deserialize(e.Input, typeof(T))!);
            }
            var tcs = new TaskCompletionSource<string?>();
            if (!x.waiters.TryGetValue(name, out var list))
            {
                x.waiters[name] = list = new LinkedList<TaskCompletionSource<string?>>();
            }
            var node = list.AddLast(tcs);
            if (cancellationToken.CanBeCanceled)
            {
                cancellationToken.Register(() =>
                {
                    if (node.List is not null)
                    {
                        list.Remove(node);
                    }
                    tcs.TrySetCanceled(cancellationToken);
                });
            }
            return Read<T>(tcs.Task);
        }

        public override async Task<T> WaitForExternalEvent<T>(string name, TimeSpan timeout)
        {
            using var stopWaiting = new CancellationTokenSource();
            var received = WaitForExternalEvent<T>(name, stopWaiting.Token);
            if (received.IsCompleted)
            {
                return await received;
            }
            using var stopTimer = new CancellationTokenSource();
            var timer = CreateTimer(CurrentUtcDateTime + timeout, stopTimer.Token);
            // Cancel synchronously: CancelAsync would run the callbacks on the thread pool, outside the episode.
            if (await Task.WhenAny(received, timer) == received)
            {
#pragma warning disable CA1849
                stopTimer.Cancel();
                return await received;
            }
            stopWaiting.Cancel();
#pragma warning restore CA1849
            throw new TimeoutException($"External event '{name}' did not arrive within {timeout}.");
        }

        public override void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true) =>
            x.continueAsNew = new ContinueAsNewState(DurableJson.Serialize(newInput), preserveUnprocessedEvents);

        public override void SetCustomStatus(object? customStatus) => x.customStatus = DurableJson.Serialize(customStatus);

        public override Guid NewGuid() => x.DeterministicGuid();

        private static async Task<T> Read<T>(Task<string?> json) => (T)DurableJson.Deserialize(await json, typeof(T))!;

        private async Task<TResult> ActivityOnce<TResult>(string name, string? input)
        {
            var id = x.NextId();
            x.Schedule(new ActivityAction(id, name, input));
            var done = new TaskCompletionSource<HistoryEvent>();
            x.open[id] = e => done.TrySetResult(e);
            return await done.Task switch
            {
                TaskCompletedEvent c => (TResult)DurableJson.Deserialize(c.Result, typeof(TResult))!,
                TaskFailedEvent f => throw new TaskFailedException(name, id, f.FailureDetails),
                var other => throw new InvalidOperationException($"Unexpected {other.GetType().Name} for activity #{id}."),
            };
        }

        private async Task<TResult> SubOrchestrationOnce<TResult>(string name, string? input, string? requestedId)
        {
            var id = x.NextId();
            var childId = requestedId ?? $"{InstanceId}:{id}";
            x.Schedule(new SubOrchestrationAction(id, name, childId, input));
            var done = new TaskCompletionSource<HistoryEvent>();
            x.open[id] = e => done.TrySetResult(e);
            return await done.Task switch
            {
                SubOrchestrationCompletedEvent c => (TResult)DurableJson.Deserialize(c.Result, typeof(TResult))!,
                SubOrchestrationFailedEvent f => throw new TaskFailedException(name, id, f.FailureDetails),
                var other => throw new InvalidOperationException($"Unexpected {other.GetType().Name} for sub-orchestration #{id}."),
            };
        }

        /// <summary>Retries with durable timers between attempts, so the waits survive restarts and replay exactly.</summary>
        private async Task<TResult> WithRetry<TResult>(RetryPolicy? policy, Func<Task<TResult>> attempt)
        {
            if (policy is null)
            {
                return await attempt();
            }
            var firstAttempt = CurrentUtcDateTime;
            for (var n = 1; ; n++)
            {
                try
                {
                    return await attempt();
                }
                catch (TaskFailedException e) when (n < policy.MaxNumberOfAttempts && (policy.Handle?.Invoke(e.FailureDetails) ?? true))
                {
                    var delay = policy.DelayAfter(n);
                    if (policy.RetryTimeout != TimeSpan.MaxValue && CurrentUtcDateTime + delay - firstAttempt > policy.RetryTimeout)
                    {
                        throw;
                    }
                    await CreateTimer(CurrentUtcDateTime + delay);
                }
            }
        }
    }
}
