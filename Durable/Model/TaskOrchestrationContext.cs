using Microsoft.Extensions.Logging;

namespace HmRec.Durable.Model;

/// <summary>
/// What an orchestrator uses to do everything: call activities and sub-orchestrations, create durable
/// timers, wait for external events, and read the deterministic clock.
/// </summary>
/// <remarks>
/// Everything here is replay-safe: on replay, calls return the results recorded in history instead of
/// scheduling work again. Code must call these methods in the same order on every replay.
/// </remarks>
public abstract class TaskOrchestrationContext
{
    /// <summary>The orchestrator's registered name.</summary>
    public abstract string Name { get; }

    public abstract string InstanceId { get; }

    /// <summary>True while the code is re-running over recorded history; use it to skip side effects such as logging.</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>The time the current episode started: the same value on every replay. Use it instead of DateTime.UtcNow.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>Schedules an activity and returns its result; throws <see cref="TaskFailedException"/> when it fails (after retries).</summary>
    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Schedules an activity whose result is not needed.</summary>
    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) => CallActivityAsync<object?>(name, input, options);

    /// <summary>Starts a sub-orchestration and returns its output; throws <see cref="TaskFailedException"/> when it fails (after retries).</summary>
    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, SubOrchestrationOptions? options = null);

    /// <summary>A durable timer: completes at <paramref name="fireAt"/> (UTC), even across restarts. Cancelling abandons it.</summary>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken = default);

    /// <summary>A durable timer that completes after <paramref name="delay"/> from <see cref="CurrentUtcDateTime"/>.</summary>
    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken = default) => CreateTimer(CurrentUtcDateTime + delay, cancellationToken);

    /// <summary>Waits for an external event; an event raised before the wait is kept and delivered here.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string name, CancellationToken cancellationToken = default);

    /// <summary>Waits for an external event at most <paramref name="timeout"/>; throws <see cref="TimeoutException"/> after it.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string name, TimeSpan timeout);

    /// <summary>
    /// Ends this execution and starts a new one of the same instance with <paramref name="newInput"/> and a
    /// fresh history, keeping the state small for eternal orchestrations. Return right after calling it.
    /// </summary>
    public abstract void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true);

    /// <summary>A JSON-serialisable progress value shown in the instance's status.</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>A GUID that is the same on every replay.</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that writes nothing while the orchestrator replays.</summary>
    public ILogger CreateReplaySafeLogger(ILogger logger) => new ReplaySafeLogger(this, logger);

    private sealed class ReplaySafeLogger(TaskOrchestrationContext context, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplaying)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
