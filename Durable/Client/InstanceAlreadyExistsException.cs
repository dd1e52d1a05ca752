namespace HmRec.Durable.Client;

/// <summary>Scheduling with the id of an instance that is still running.</summary>
public sealed class InstanceAlreadyExistsException : Exception
{
    public InstanceAlreadyExistsException(string instanceId)
        : base($"An orchestration instance with the id '{instanceId}' is already pending or running; choose another id, or wait for it to finish (or terminate it) first.")
    {
        InstanceId = instanceId;
    }

    public InstanceAlreadyExistsException()
        : this("unknown")
    {
    }

    public InstanceAlreadyExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
        InstanceId = "unknown";
    }

    public string InstanceId { get; }
}
