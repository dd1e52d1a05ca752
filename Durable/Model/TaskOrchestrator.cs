namespace HmRec.Durable.Model;

/// <summary>Untyped view of an orchestrator, used by the engine.</summary>
internal interface ITaskOrchestrator
{
    Type InputType { get; }

    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>
/// An orchestrator: deterministic code that schedules activities, sub-orchestrations, timers and waits
/// for events. It is replayed from its history after every event.
/// </summary>
/// <remarks>
/// Determinism rules: take time only from <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/> and
/// GUIDs only from <see cref="TaskOrchestrationContext.NewGuid"/>; do no I/O (call an activity); never use
/// <c>Task.Run</c>, <c>Task.Delay</c>, threads, <c>ConfigureAwait(false)</c> or <c>CancellationTokenSource.CancelAsync</c>
/// (cancel with <c>Cancel()</c>); await only tasks the
/// context returned (and <c>Task.WhenAll</c>/<c>Task.WhenAny</c> of them).
/// </remarks>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator, ITaskOrchestratorMarker
{
    Type ITaskOrchestrator.InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input) => await RunAsync(context, (TInput)input!);
}
