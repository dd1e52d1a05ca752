namespace HmRec.Shared.DuckDb;

/// <summary>One chunk of a result: up to 2048 rows, one vector per column.</summary>
public sealed class DuckDbDataChunk : IDisposable
{
    private readonly DuckDbDataChunkHandle handle;
    private readonly DuckDbType[] types;

    internal DuckDbDataChunk(DuckDbDataChunkHandle handle, DuckDbType[] types)
    {
        this.handle = handle;
        this.types = types;
        RowCount = (int)NativeMethods.DataChunkGetSize(handle);
    }

    /// <summary>Rows in this chunk.</summary>
    public int RowCount { get; }

    /// <summary>Columns in this chunk.</summary>
    public int ColumnCount => types.Length;

    /// <summary>A view of one column. Valid only while the chunk is not disposed.</summary>
    public DuckDbVector GetVector(int column)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, types.Length);
        var vector = NativeMethods.DataChunkGetVector(handle, (ulong)column);
        return new DuckDbVector(types[column], RowCount, NativeMethods.VectorGetData(vector), NativeMethods.VectorGetValidity(vector));
    }

    /// <inheritdoc />
    public void Dispose() => handle.Dispose();
}
