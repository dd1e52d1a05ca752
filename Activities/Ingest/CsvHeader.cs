namespace HmRec.Activities.Ingest;

/// <summary>
/// Reads and checks the header line of an input file before DuckDB touches it: the file exists, is
/// not empty, its header is UTF-8, names every expected column once and nothing else. A leading
/// unnamed column (a pandas index, written as "" or "Unnamed: 0") is accepted and ignored.
/// </summary>
internal static class CsvHeader
{
    /// <summary>The name given to an ignored leading index column.</summary>
    public const string IndexColumn = "__row_index";

    /// <summary>Returns the file's columns in file order, the index column renamed to <see cref="IndexColumn"/>.</summary>
    public static IReadOnlyList<string> Read(string path, CsvInputFile spec)
    {
        var name = path;
        if (!File.Exists(path))
        {
            throw new InputDataException(path, null, null,
                $"file not found; expected the {spec.Name} file (a data folder must hold {HmSchema.ArticlesFile}, {HmSchema.CustomersFile} and {HmSchema.TransactionsFile}).");
        }
        byte[] head;
        using (var stream = File.OpenRead(path))
        {
            if (stream.Length == 0)
            {
                throw new InputDataException(name, null, null, $"the file is empty; expected the header line '{spec.ExpectedHeader}' and data rows.");
            }
            head = new byte[Math.Min(stream.Length, 1 << 16)];
            stream.ReadExactly(head);
        }
        // The header ends at the first line break, whichever the file uses (LF, CRLF or CR).
        var end = head.AsSpan().IndexOfAny((byte)'\n', (byte)'\r');
        var line = end < 0 ? head : head[..end];
        if (line.Length >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF)
        {
            line = line[3..];
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(line).TrimEnd('\r');
        }
        catch (DecoderFallbackException)
        {
            throw new InputDataException(name, 1, null, "the header is not valid UTF-8 text; the file must be UTF-8 encoded CSV.");
        }
        if (text.Trim().Length == 0)
        {
            throw new InputDataException(name, 1, null, $"the header line is blank; expected '{spec.ExpectedHeader}'.");
        }

        var columns = Split(text).Select(c => c.Trim()).ToList();
        if (columns.Count > 0 && (columns[0].Length == 0 || columns[0].StartsWith("Unnamed: ", StringComparison.Ordinal)))
        {
            columns[0] = IndexColumn;
        }
        var expected = spec.Columns.Select(c => c.Column).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            var first = columns.IndexOf(columns[i]);
            if (first < i)
            {
                throw new InputDataException(name, 1, columns[i], $"the header names this column twice (positions {first + 1} and {i + 1}).");
            }
            if (columns[i] != IndexColumn && !expected.Contains(columns[i]))
            {
                throw new InputDataException(name, 1, columns[i], $"unexpected column at position {i + 1}; expected the header '{spec.ExpectedHeader}'.");
            }
        }
        var missing = spec.Columns.Select(c => c.Column).Where(c => !columns.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InputDataException(name, 1, null,
                $"missing column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}; expected the header '{spec.ExpectedHeader}'.");
        }
        return columns;
    }

    /// <summary>Splits one CSV line on commas outside double quotes.</summary>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }
}
