namespace HmRec.Durable.Stores;

/// <summary>A worker's lease on a work item expired and another worker may have taken it; its result is dropped.</summary>
public sealed class LockLostException : Exception
{
    public LockLostException(string message)
        : base(message)
    {
    }

    public LockLostException()
        : base("The work item's lock was lost.")
    {
    }

    public LockLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
