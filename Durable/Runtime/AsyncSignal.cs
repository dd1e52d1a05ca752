namespace HmRec.Durable.Runtime;

/// <summary>Wakes one waiting dispatcher loop when work arrives; a set before the wait is not lost.</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set()
    {
        lock (this)
        {
            next.TrySetResult();
        }
    }

    /// <summary>Waits until <see cref="Set"/> or the timeout, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task task;
        lock (this)
        {
            task = next.Task;
        }
        try
        {
            await task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        lock (this)
        {
            if (next.Task.IsCompleted)
            {
                next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }
}
