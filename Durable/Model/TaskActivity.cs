namespace HmRec.Durable.Model;

/// <summary>Untyped view of an activity, used by the engine.</summary>
internal interface ITaskActivity
{
    Type InputType { get; }

    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

/// <summary>
/// An activity: ordinary code that does the work (I/O allowed). It runs at least once per call, so it
/// must be idempotent.
/// </summary>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity, ITaskActivityMarker
{
    Type ITaskActivity.InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input) => await RunAsync(context, (TInput)input!).ConfigureAwait(false);
}
