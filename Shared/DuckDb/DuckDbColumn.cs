namespace HmRec.Shared.DuckDb;

/// <summary>A fully read result column: its name, type and per-row NULL flags.</summary>
public abstract class DuckDbColumn
{
    private readonly bool[]? nulls;

    private protected DuckDbColumn(string name, DuckDbType type, int length, bool[]? nulls)
    {
        Name = name;
        Type = type;
        Length = length;
        this.nulls = nulls;
    }

    public string Name { get; }

    public DuckDbType Type { get; }

    public int Length { get; }

    /// <summary>True when any row is NULL.</summary>
    public bool HasNulls => nulls is not null;

    public bool IsNull(int row) => nulls is not null && nulls[row];
}

/// <summary>A fixed-width column; NULL rows hold default values.</summary>
public sealed class DuckDbColumn<T> : DuckDbColumn
    where T : unmanaged
{
    internal DuckDbColumn(string name, DuckDbType type, T[] values, bool[]? nulls)
        : base(name, type, values.Length, nulls) => Values = values;

    public T[] Values { get; }
}

/// <summary>A VARCHAR or BLOB column.</summary>
public sealed class DuckDbStringColumn : DuckDbColumn
{
    internal DuckDbStringColumn(string name, DuckDbType type, string?[] values, bool[]? nulls)
        : base(name, type, values.Length, nulls) => Values = values;

    public string?[] Values { get; }
}
