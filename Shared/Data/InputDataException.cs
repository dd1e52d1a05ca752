namespace HmRec.Shared.Data;

/// <summary>
/// Bad input a user can fix: names the file, and where known the line and column, and says what was
/// expected. Hosts print <see cref="Exception.Message"/> without a stack trace.
/// </summary>
public sealed class InputDataException : Exception
{
    public InputDataException(string file, long? line, string? column, string problem)
        : base(Format(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public InputDataException()
        : this("(unknown file)", null, null, "bad input")
    {
    }

    public InputDataException(string message)
        : this("(unknown file)", null, null, message)
    {
    }

    public InputDataException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "(unknown file)";
        Problem = message;
    }

    /// <summary>The file, as the user named it.</summary>
    public string File { get; }

    /// <summary>1-based line number, the header being line 1.</summary>
    public long? Line { get; }

    public string? Column { get; }

    public string Problem { get; }

    private static string Format(string file, long? line, string? column, string problem)
    {
        var where = file;
        if (line is { } l)
        {
            where += $", line {l}";
        }
        if (column is not null)
        {
            where += $", column '{column}'";
        }
        return $"{where}: {problem}";
    }
}
