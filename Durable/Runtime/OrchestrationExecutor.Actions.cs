namespace HmRec.Durable.Runtime;

internal sealed partial class OrchestrationExecutor
{
    /// <summary>Something the code scheduled; Recorded once it is in history.</summary>
    private abstract class PendingAction(int id)
    {
        public int Id { get; } = id;

        public bool Recorded { get; set; }

        public abstract string Describe();
    }

    private sealed class ActivityAction(int id, string name, string? input) : PendingAction(id)
    {
        public string Name { get; } = name;

        public string? Input { get; } = input;

        public override string Describe() => $"activity '{Name}'";
    }

    private sealed class TimerAction(int id, DateTime fireAt) : PendingAction(id)
    {
        public DateTime FireAt { get; } = fireAt;

        public override string Describe() => "a timer";
    }

    private sealed class SubOrchestrationAction(int id, string name, string instanceId, string? input) : PendingAction(id)
    {
        public string Name { get; } = name;

        public string InstanceId { get; } = instanceId;

        public string? Input { get; } = input;

        public override string Describe() => $"sub-orchestration '{Name}'";
    }
}
