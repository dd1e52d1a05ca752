namespace HmRec.Activities.Ingest;

/// <summary>
/// Finds the first line whose field fails a check, for the errors DuckDB's reader cannot place (an
/// empty id, a channel other than 1 or 2). Runs only once an error is known to exist.
/// </summary>
internal static class CsvLineLocator
{
    public static (long Line, string Value)? FindFirst(string path, int columnIndex, Func<string, bool> isBad)
    {
        using var reader = new StreamReader(path);
        reader.ReadLine();
        long line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            var fields = CsvHeader.Split(text);
            var value = columnIndex < fields.Count ? fields[columnIndex] : "";
            if (isBad(value))
            {
                return (line, value);
            }
        }
        return null;
    }
}
