using System.Text;

namespace HmRec.Shared.DuckDb;

/// <summary>
/// Bulk-inserts rows into a table: append each column's value in order, then <see cref="EndRow"/>.
/// Rows are written on <see cref="Flush"/> or <see cref="Dispose"/>.
/// </summary>
public sealed class DuckDbAppender : IDisposable
{
    private readonly DuckDbAppenderHandle handle;
    private byte[] utf8 = new byte[256];

    internal DuckDbAppender(DuckDbAppenderHandle handle) => this.handle = handle;

    private DuckDbAppenderHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    public DuckDbAppender Append(bool value) => Check(NativeMethods.AppendBool(Handle, value));

    public DuckDbAppender Append(sbyte value) => Check(NativeMethods.AppendInt8(Handle, value));

    public DuckDbAppender Append(short value) => Check(NativeMethods.AppendInt16(Handle, value));

    public DuckDbAppender Append(int value) => Check(NativeMethods.AppendInt32(Handle, value));

    public DuckDbAppender Append(long value) => Check(NativeMethods.AppendInt64(Handle, value));

    public DuckDbAppender Append(float value) => Check(NativeMethods.AppendFloat(Handle, value));

    public DuckDbAppender Append(double value) => Check(NativeMethods.AppendDouble(Handle, value));

    public DuckDbAppender Append(DateOnly value) => Check(NativeMethods.AppendDate(Handle, DuckDbTime.ToDays(value)));

    public DuckDbAppender Append(DateTime value) => Check(NativeMethods.AppendTimestamp(Handle, DuckDbTime.ToMicros(value)));

    public DuckDbAppender Append(string? value)
    {
        if (value is null)
        {
            return AppendNull();
        }
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (utf8.Length < max)
        {
            utf8 = new byte[Math.Max(max, utf8.Length * 2)];
        }
        var length = Encoding.UTF8.GetBytes(value, utf8);
        return Check(NativeMethods.AppendVarcharLength(Handle, utf8.AsSpan(0, length), (ulong)length));
    }

    public DuckDbAppender AppendNull() => Check(NativeMethods.AppendNull(Handle));

    /// <summary>Ends the current row; every column must have had a value appended.</summary>
    public DuckDbAppender EndRow() => Check(NativeMethods.AppenderEndRow(Handle));

    /// <summary>Writes buffered rows to the table; a constraint violation surfaces here.</summary>
    public void Flush() => Check(NativeMethods.AppenderFlush(Handle));

    /// <summary>Flushes and closes the appender and throws on error. <see cref="Dispose"/> also flushes, but cannot report an error.</summary>
    public void Close() => Check(NativeMethods.AppenderClose(Handle));

    /// <inheritdoc />
    public void Dispose() => handle.Dispose();

    private DuckDbAppender Check(DuckDbState state)
    {
        DuckDbCheck.Ok(state, () => NativeMethods.AppenderError(handle.DangerousGetHandle()), "append");
        return this;
    }
}
