using System.Text;

namespace HmRec.Shared.DuckDb;

/// <summary>
/// A borrowed view of one column of a data chunk: raw values plus DuckDB's validity mask (one bit per
/// row, set when the row is not NULL; a missing mask means no NULLs). Valid while its chunk lives.
/// </summary>
public readonly ref struct DuckDbVector
{
    private readonly IntPtr data;
    private readonly IntPtr validity;

    internal DuckDbVector(DuckDbType type, int length, IntPtr data, IntPtr validity)
    {
        Type = type;
        Length = length;
        this.data = data;
        this.validity = validity;
    }

    /// <summary>The column's type.</summary>
    public DuckDbType Type { get; }

    /// <summary>The number of rows.</summary>
    public int Length { get; }

    /// <summary>True when at least one row may be NULL.</summary>
    public bool HasValidityMask => validity != IntPtr.Zero;

    /// <summary>True when row <paramref name="row"/> is NULL.</summary>
    public unsafe bool IsNull(int row)
    {
        if (validity == IntPtr.Zero)
        {
            return false;
        }
        var word = ((ulong*)validity)[row >> 6];
        return (word & (1UL << (row & 63))) == 0;
    }

    /// <summary>The raw values of a fixed-width column; NULL rows hold unspecified values.</summary>
    /// <typeparam name="T">The CLR type of the column's physical storage (int for INTEGER and DATE, long for BIGINT and TIMESTAMP, ...).</typeparam>
    public unsafe ReadOnlySpan<T> GetValues<T>()
        where T : unmanaged
    {
        var expected = ClrTypeOf(Type);
        if (expected != typeof(T))
        {
            throw new InvalidOperationException($"A {Type} column cannot be read as {typeof(T).Name}; read it as {expected?.Name ?? "a string or cast it in SQL"}.");
        }
        return new ReadOnlySpan<T>((void*)data, Length);
    }

    /// <summary>The value of a VARCHAR or BLOB row as a string, or null when NULL.</summary>
    public string? GetString(int row)
    {
        if (Type is not (DuckDbType.Varchar or DuckDbType.Blob))
        {
            throw new InvalidOperationException($"A {Type} column cannot be read as a string.");
        }
        return IsNull(row) ? null : Encoding.UTF8.GetString(GetUtf8(row));
    }

    /// <summary>The UTF-8 bytes of a VARCHAR or BLOB row, without copying.</summary>
    public unsafe ReadOnlySpan<byte> GetUtf8(int row)
    {
        // duckdb_string_t is 16 bytes: a uint32 length, then either up to 12 inlined bytes or a 4-byte prefix and a pointer.
        var entry = (byte*)data + (16 * row);
        var length = *(uint*)entry;
        var bytes = length <= 12 ? entry + 4 : *(byte**)(entry + 8);
        return new ReadOnlySpan<byte>(bytes, (int)length);
    }

    /// <summary>The value of a HUGEINT row (what <c>sum</c> of BIGINT returns); NULL rows read as 0.</summary>
    public unsafe Int128 GetHugeInt(int row)
    {
        if (Type != DuckDbType.HugeInt)
        {
            throw new InvalidOperationException($"A {Type} column cannot be read as a HUGEINT.");
        }
        // duckdb_hugeint is (uint64 lower, int64 upper).
        var entry = (ulong*)data + (2 * row);
        return new Int128(entry[1], entry[0]);
    }

    /// <summary>The value of a DATE row, or null when NULL.</summary>
    public DateOnly? GetDate(int row) => IsNull(row) ? null : DuckDbTime.FromDays(GetValues<int>()[row]);

    /// <summary>The value of a TIMESTAMP row (microseconds), or null when NULL.</summary>
    public DateTime? GetTimestamp(int row)
    {
        if (Type != DuckDbType.Timestamp)
        {
            throw new InvalidOperationException($"A {Type} column cannot be read as a TIMESTAMP; cast it in SQL.");
        }
        return IsNull(row) ? null : DuckDbTime.FromMicros(GetValues<long>()[row]);
    }

    /// <summary>One value boxed as its natural CLR type; for scalars and diagnostics, not hot loops.</summary>
    public object? GetValue(int row)
    {
        if (IsNull(row))
        {
            return null;
        }
        return Type switch
        {
            DuckDbType.Boolean => GetValues<bool>()[row],
            DuckDbType.TinyInt => GetValues<sbyte>()[row],
            DuckDbType.SmallInt => GetValues<short>()[row],
            DuckDbType.Integer => GetValues<int>()[row],
            DuckDbType.BigInt => GetValues<long>()[row],
            DuckDbType.UTinyInt => GetValues<byte>()[row],
            DuckDbType.USmallInt => GetValues<ushort>()[row],
            DuckDbType.UInteger => GetValues<uint>()[row],
            DuckDbType.UBigInt => GetValues<ulong>()[row],
            DuckDbType.Float => GetValues<float>()[row],
            DuckDbType.Double => GetValues<double>()[row],
            DuckDbType.HugeInt => GetHugeInt(row),
            DuckDbType.Date => GetDate(row),
            DuckDbType.Timestamp => GetTimestamp(row),
            DuckDbType.Varchar or DuckDbType.Blob => GetString(row),
            _ => throw new InvalidOperationException($"Reading {Type} values is not supported; cast the column in SQL."),
        };
    }

    /// <summary>The CLR type of a column's fixed-width storage, or null for variable-width and nested types.</summary>
    public static Type? ClrTypeOf(DuckDbType type) => type switch
    {
        DuckDbType.Boolean => typeof(bool),
        DuckDbType.TinyInt => typeof(sbyte),
        DuckDbType.SmallInt => typeof(short),
        DuckDbType.Integer or DuckDbType.Date => typeof(int),
        DuckDbType.BigInt or DuckDbType.Timestamp or DuckDbType.TimestampS or DuckDbType.TimestampMs
            or DuckDbType.TimestampNs or DuckDbType.TimestampTz or DuckDbType.Time => typeof(long),
        DuckDbType.UTinyInt => typeof(byte),
        DuckDbType.USmallInt => typeof(ushort),
        DuckDbType.UInteger => typeof(uint),
        DuckDbType.UBigInt => typeof(ulong),
        DuckDbType.Float => typeof(float),
        DuckDbType.Double => typeof(double),
        _ => null,
    };

    /// <summary>Copies the validity of every row into <paramref name="nulls"/> (true = NULL).</summary>
    public void CopyNulls(Span<bool> nulls)
    {
        if (validity == IntPtr.Zero)
        {
            nulls[..Length].Clear();
            return;
        }
        for (var i = 0; i < Length; i++)
        {
            nulls[i] = IsNull(i);
        }
    }
}
