namespace HmRec.Durable.Runtime;

/// <summary>Least-recently-used executors by instance id: the extended sessions of one worker.</summary>
internal sealed class SessionCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Id, OrchestrationExecutor Executor)>> map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, OrchestrationExecutor Executor)> order = new();

    /// <summary>Removes and returns the cached executor when it is exactly at the committed history.</summary>
    public OrchestrationExecutor? Take(string instanceId, string executionId, int historyCount)
    {
        lock (map)
        {
            if (!map.Remove(instanceId, out var node))
            {
                return null;
            }
            order.Remove(node);
            var executor = node.Value.Executor;
            return executor.ExecutionId == executionId && executor.AppliedEvents == historyCount ? executor : null;
        }
    }

    public void Put(string instanceId, OrchestrationExecutor executor)
    {
        if (capacity <= 0)
        {
            return;
        }
        lock (map)
        {
            if (map.Remove(instanceId, out var old))
            {
                order.Remove(old);
            }
            map[instanceId] = order.AddFirst((instanceId, executor));
            while (map.Count > capacity)
            {
                map.Remove(order.Last!.Value.Id);
                order.RemoveLast();
            }
        }
    }
}
