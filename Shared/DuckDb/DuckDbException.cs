namespace HmRec.Shared.DuckDb;

/// <summary>An error reported by DuckDB; <see cref="Exception.Message"/> is DuckDB's own message.</summary>
public sealed class DuckDbException : Exception
{
    public DuckDbException(string message)
        : base(message)
    {
    }

    public DuckDbException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DuckDbException()
        : base("DuckDB reported an error.")
    {
    }
}
