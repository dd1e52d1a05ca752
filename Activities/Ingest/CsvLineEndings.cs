namespace HmRec.Activities.Ingest;

/// <summary>
/// DuckDB's CSV reader takes one line ending per file: a file whose lines end in a mix of CRLF and LF (one line edited
/// by hand), or in CR alone, stops it with a parser error and no line number. Such a file is read through a copy with
/// every line ending made LF, which keeps every line's number, so errors still name the user's file and line.
/// </summary>
internal static class CsvLineEndings
{
    /// <summary>
    /// <paramref name="path"/> when its lines all end the same way (LF or CRLF), else a copy in <paramref name="scratch"/>
    /// with every line ending LF.
    /// </summary>
    public static string Readable(string path, string scratch)
    {
        if (!HasCarriageReturn(path) || IsUniform(path))
        {
            return path;
        }
        var copy = Path.Combine(scratch, "lf-" + Path.GetFileName(path));
        using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
        using (var output = new FileStream(copy, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var buffer = new byte[1 << 20];
            var afterCr = false;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                var span = buffer.AsSpan(0, read);
                var start = 0;
                for (var i = 0; i < span.Length; i++)
                {
                    var b = span[i];
                    if (afterCr && b == (byte)'\n')
                    {
                        // The LF of a CRLF: the CR was written as LF already.
                        start = i + 1;
                    }
                    else if (b == (byte)'\r')
                    {
                        output.Write(span[start..i]);
                        output.WriteByte((byte)'\n');
                        start = i + 1;
                    }
                    afterCr = b == (byte)'\r';
                }
                output.Write(span[start..]);
            }
        }
        return copy;
    }

    /// <summary>True when the first 64 KiB hold a CR (a file with LF endings only is the common case, decided at once).</summary>
    private static bool HasCarriageReturn(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[Math.Min(stream.Length, 1 << 16)];
        stream.ReadExactly(head);
        return head.AsSpan().Contains((byte)'\r');
    }

    /// <summary>True when every line ends in CRLF, or every one in LF: the whole file is read once.</summary>
    private static bool IsUniform(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var buffer = new byte[1 << 20];
        long crlf = 0, lf = 0, cr = 0;
        var previous = (byte)0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                if (b == (byte)'\n')
                {
                    if (previous == (byte)'\r')
                    {
                        crlf++;
                        cr--;
                    }
                    else
                    {
                        lf++;
                    }
                }
                else if (b == (byte)'\r')
                {
                    cr++;
                }
                previous = b;
            }
        }
        return cr == 0 && (crlf == 0 || lf == 0);
    }
}
