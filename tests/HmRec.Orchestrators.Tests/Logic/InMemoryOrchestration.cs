using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HmRec.Orchestrators.Tests.Logic;

/// <summary>
/// An orchestration context with no backend and a clock of its own, for the orchestrators' logic: an activity call is
/// answered at once by a stand-in (its input and answer go through JSON, as they would through a task hub), a failure
/// is retried as the call's retry policy says (the waits taken from the clock, not from the test), a timer or an
/// event wait with a timeout moves the clock on, events arrive only from <see cref="Raise"/>, and a sub-orchestration
/// runs its registered orchestrator in a context of its own.
/// </summary>
internal sealed class InMemoryOrchestration
{
    private readonly Dictionary<string, Func<object?, Type, object?>> activities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<TaskOrchestrationContext, object?, Task<object?>>> orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<string>> events = new(StringComparer.Ordinal);

    /// <summary>The orchestrations' clock: starts at a fixed time, moves only with timers and retries.</summary>
    public DateTime Now { get; private set; } = new(2020, 9, 23, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The last custom status each instance set.</summary>
    public Dictionary<string, object?> Statuses { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers activity <paramref name="name"/> with <paramref name="answer"/> (its input typed as <typeparamref name="TInput"/>).</summary>
    public void Activity<TInput, TOutput>(string name, Func<TInput, TOutput> answer) =>
        activities[name] = (input, _) => answer(RoundTrip<TInput>(input));

    /// <summary>Registers an orchestrator by name, for sub-orchestration calls and for <see cref="RunAsync{TInput, TOutput}"/>.</summary>
    public void Orchestrator<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) =>
        orchestrators[name] = async (context, input) => await run(context, RoundTrip<TInput>(input));

    /// <summary>Queues an event for instance <paramref name="instanceId"/>, delivered to its next wait for that name.</summary>
    public void Raise(string instanceId, string name, object payload)
    {
        if (!events.TryGetValue(instanceId + "/" + name, out var queue))
        {
            events[instanceId + "/" + name] = queue = new Queue<string>();
        }
        queue.Enqueue(JsonSerializer.Serialize(payload));
    }

    /// <summary>Runs orchestrator <paramref name="name"/> to its end as instance <paramref name="instanceId"/>: its output, or the exception it failed with.</summary>
    public async Task<TOutput> RunAsync<TInput, TOutput>(string name, string instanceId, TInput input) =>
        RoundTrip<TOutput>(await orchestrators[name](new Context(this, name, instanceId), input));

    /// <summary>An exception as a task hub carries it: its type's name, its message and its inner exception's.</summary>
    private static TaskFailureDetails Details(Exception e) =>
        new(e.GetType().FullName!, e.Message, e.StackTrace, e.InnerException is { } inner ? Details(inner) : null, null);

    private static T RoundTrip<T>(object? value) => value is null ? default! : JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, value.GetType()))!;

    private sealed class Context(InMemoryOrchestration world, string name, string instanceId) : TaskOrchestrationContext
    {
        public override TaskName Name => name;

        public override string InstanceId => instanceId;

        public override ParentOrchestrationInstance? Parent => null;

        public override DateTime CurrentUtcDateTime => world.Now;

        public override bool IsReplaying => false;

        protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

        public override T GetInput<T>() => throw new NotSupportedException("The orchestrators here take their input as a parameter.");

        public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
        {
            var policy = options?.Retry?.Policy;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var answer = world.activities.TryGetValue(name.Name, out var stand)
                        ? stand(input, typeof(TResult))
                        : throw new InvalidOperationException($"No activity '{name.Name}' is registered.");
                    return Task.FromResult(RoundTrip<TResult>(answer));
                }
                catch (Exception e)
                {
                    // The policy's filter sees the failure as the task hub's dispatcher hands it over.
                    var dispatched = new DurableTask.Core.Exceptions.TaskFailedException(0, attempt, name.Name, string.Empty, e.Message, e)
                    {
                        FailureDetails = new DurableTask.Core.FailureDetails(e),
                    };
                    if (policy is null || attempt >= policy.MaxNumberOfAttempts || !policy.Handle(dispatched))
                    {
                        return Task.FromException<TResult>(new TaskFailedException(name.Name, attempt, Details(e)));
                    }
                    world.Now += policy.FirstRetryInterval * Math.Pow(policy.BackoffCoefficient, attempt - 1);
                }
            }
        }

        public override async Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
        {
            var id = (options as SubOrchestrationOptions)?.InstanceId ?? $"{instanceId}:{orchestratorName.Name}";
            try
            {
                return await world.RunAsync<object?, TResult>(orchestratorName.Name, id, input);
            }
            catch (Exception e) when (e is not TaskFailedException)
            {
                throw new TaskFailedException(orchestratorName.Name, 0, Details(e));
            }
        }

        public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
        {
            if (fireAt > world.Now)
            {
                world.Now = fireAt;
            }
            return Task.CompletedTask;
        }

        public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
        {
            if (world.events.TryGetValue(instanceId + "/" + eventName, out var queue) && queue.Count > 0)
            {
                return Task.FromResult(JsonSerializer.Deserialize<T>(queue.Dequeue())!);
            }
            // Nothing raised: it never arrives (the orchestrators race it against their activities).
            var never = new TaskCompletionSource<T>();
            cancellationToken.Register(() => never.TrySetCanceled(cancellationToken));
            return never.Task;
        }

        public override void SendEvent(string instanceId, string eventName, object payload) => world.Raise(instanceId, eventName, payload);

        public override void SetCustomStatus(object? customStatus) => world.Statuses[instanceId] = customStatus;

        public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
            throw new NotSupportedException("No orchestrator here continues as new.");

        public override Guid NewGuid() => throw new NotSupportedException("No orchestrator here makes GUIDs.");
    }
}
