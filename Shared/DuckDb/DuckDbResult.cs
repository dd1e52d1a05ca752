namespace HmRec.Shared.DuckDb;

/// <summary>A query result, read as a sequence of data chunks of up to 2048 rows.</summary>
public sealed class DuckDbResult : IDisposable
{
    private readonly DuckDbResultHandle handle;
    private readonly DuckDbType[] types;
    private readonly string[] names;

    internal DuckDbResult(DuckDbResultHandle handle)
    {
        this.handle = handle;
        var count = (int)NativeMethods.ColumnCount(handle);
        types = new DuckDbType[count];
        names = new string[count];
        for (var i = 0; i < count; i++)
        {
            types[i] = NativeMethods.ColumnType(handle, (ulong)i);
            names[i] = DuckDbCheck.Utf8(NativeMethods.ColumnName(handle, (ulong)i)) ?? $"column{i}";
        }
    }

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> ColumnNames => names;

    /// <summary>The column types, in order.</summary>
    public IReadOnlyList<DuckDbType> ColumnTypes => types;

    /// <summary>Rows changed by an INSERT, UPDATE or DELETE; 0 otherwise.</summary>
    public long RowsChanged => (long)NativeMethods.RowsChanged(handle);

    /// <summary>The next chunk, or null when the result is exhausted. Dispose each chunk.</summary>
    public DuckDbDataChunk? FetchChunk()
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        NativeMethods.ResultStruct value;
        unsafe
        {
            value = *(NativeMethods.ResultStruct*)handle.Pointer;
        }
        var pointer = NativeMethods.FetchChunk(value);
        if (pointer == IntPtr.Zero)
        {
            return null;
        }
        var chunk = new DuckDbDataChunkHandle();
        chunk.Attach(pointer, owner: null);
        return new DuckDbDataChunk(chunk, types);
    }

    /// <summary>Reads every remaining chunk into typed, materialised columns.</summary>
    public DuckDbColumnSet ReadAll()
    {
        var builders = new DuckDbColumnBuilder[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            builders[i] = DuckDbColumnBuilder.For(names[i], types[i]);
        }
        while (FetchChunk() is { } chunk)
        {
            using (chunk)
            {
                for (var c = 0; c < builders.Length; c++)
                {
                    builders[c].Add(chunk.GetVector(c));
                }
            }
        }
        return new DuckDbColumnSet(builders.Select(b => b.Build()).ToArray());
    }

    /// <inheritdoc />
    public void Dispose() => handle.Dispose();
}
