namespace HmRec.Shared.Synthetic;

/// <summary>Appends CSV fields as UTF-8, quoting a field only when it holds a comma, quote or newline (as pandas does).</summary>
internal sealed class CsvWriter(IBufferWriter<byte> output)
{
    private bool firstField = true;

    public CsvWriter Field(string? value)
    {
        Separator();
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }
        if (value.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            Raw(value);
            return this;
        }
        Raw("\"");
        Raw(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        Raw("\"");
        return this;
    }

    public CsvWriter Field(long value)
    {
        Separator();
        var span = output.GetSpan(24);
        value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
        return this;
    }

    public CsvWriter Field(ReadOnlySpan<byte> utf8)
    {
        Separator();
        output.Write(utf8);
        return this;
    }

    public void EndRow()
    {
        output.Write("\n"u8);
        firstField = true;
    }

    private void Separator()
    {
        if (!firstField)
        {
            output.Write(","u8);
        }
        firstField = false;
    }

    private void Raw(string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
