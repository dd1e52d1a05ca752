namespace HmRec.Durable.Runtime;

/// <summary>
/// Runs every continuation of orchestrator code on the executing thread, in the order it was posted,
/// so that replay is deterministic.
/// </summary>
internal sealed class OrchestrationSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> queue = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (queue)
        {
            queue.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => d(state);

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="action"/> and then every continuation it led to.</summary>
    public void Run(Action action)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action();
            while (true)
            {
                (SendOrPostCallback Callback, object? State) work;
                lock (queue)
                {
                    if (!queue.TryDequeue(out work))
                    {
                        break;
                    }
                }
                work.Callback(work.State);
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
