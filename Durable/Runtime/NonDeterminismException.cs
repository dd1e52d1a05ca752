namespace HmRec.Durable.Runtime;

/// <summary>The orchestrator's code no longer schedules what its history recorded.</summary>
public sealed class NonDeterminismException : Exception
{
    public NonDeterminismException(string message)
        : base(message)
    {
    }

    public NonDeterminismException()
        : base("The orchestration is not deterministic.")
    {
    }

    public NonDeterminismException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
