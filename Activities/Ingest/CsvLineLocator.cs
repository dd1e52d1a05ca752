namespace HmRec.Activities.Ingest;

/// <summary>
/// Finds the first line whose field fails a check, for the errors DuckDB's reader cannot place (an
/// empty id, a channel other than 1 or 2). Runs only once an error is known to exist.
/// </summary>
internal static class CsvLineLocator
{
    /// <summary>The first line, up to <paramref name="lastLine"/>, holding bytes that are not valid UTF-8.</summary>
    public static long? FirstInvalidUtf8Line(string path, long lastLine)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = new byte[1 << 16];
        var pending = new List<byte>();
        long line = 1;
        int read;
        while (line <= lastLine && (read = stream.Read(buffer)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            while (line <= lastLine)
            {
                var end = span.IndexOf((byte)'\n');
                if (end < 0)
                {
                    pending.AddRange(span.ToArray());
                    break;
                }
                var valid = pending.Count == 0 ? System.Text.Unicode.Utf8.IsValid(span[..end]) : IsValid(pending, span[..end]);
                if (!valid)
                {
                    return line;
                }
                pending.Clear();
                span = span[(end + 1)..];
                line++;
            }
        }
        return pending.Count > 0 && line <= lastLine && !System.Text.Unicode.Utf8.IsValid(pending.ToArray()) ? line : null;
    }

    private static bool IsValid(List<byte> start, ReadOnlySpan<byte> rest)
    {
        var all = new byte[start.Count + rest.Length];
        start.CopyTo(all);
        rest.CopyTo(all.AsSpan(start.Count));
        return System.Text.Unicode.Utf8.IsValid(all);
    }

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
