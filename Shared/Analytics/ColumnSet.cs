using System.Data.Common;

namespace HmRec.Shared.Analytics;

/// <summary>The columns of a fully read result, looked up by name, each in one typed array (no boxed cells).</summary>
public sealed class ColumnSet
{
    private readonly Column[] columns;

    private ColumnSet(Column[] columns) => this.columns = columns;

    /// <summary>Number of rows.</summary>
    public int RowCount => columns.Length == 0 ? 0 : columns[0].Length;

    /// <summary>The columns, in result order.</summary>
    public IReadOnlyList<Column> Columns => columns;

    /// <summary>The column called <paramref name="name"/> (case-insensitive).</summary>
    public Column this[string name] =>
        columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"The result has no column '{name}'; it has: {string.Join(", ", columns.Select(c => c.Name))}.");

    /// <summary>A fixed-width column read as <typeparamref name="T"/> (DATE columns as <see cref="DateOnly"/>, TIMESTAMP as <see cref="DateTime"/>).</summary>
    public Column<T> Get<T>(string name)
        where T : unmanaged =>
        this[name] as Column<T>
        ?? throw new InvalidOperationException($"Column '{name}' is {this[name].TypeName}; it cannot be read as {typeof(T).Name}.");

    /// <summary>A VARCHAR column.</summary>
    public StringColumn GetStrings(string name) =>
        this[name] as StringColumn
        ?? throw new InvalidOperationException($"Column '{name}' is {this[name].TypeName}, not VARCHAR.");

    /// <summary>A DATE column as dates (null for NULL rows).</summary>
    public DateOnly?[] GetDates(string name) => Nullables(Get<DateOnly>(name));

    /// <summary>A TIMESTAMP column as UTC date-times (null for NULL rows).</summary>
    public DateTime?[] GetTimestamps(string name) => Nullables(Get<DateTime>(name));

    /// <summary>Reads every remaining row of <paramref name="reader"/>.</summary>
    public static ColumnSet Read(DbDataReader reader)
    {
        var builders = new ColumnBuilder[reader.FieldCount];
        for (var i = 0; i < builders.Length; i++)
        {
            builders[i] = ColumnBuilder.For(reader.GetName(i), reader.GetDataTypeName(i), reader.GetFieldType(i));
        }
        while (reader.Read())
        {
            for (var i = 0; i < builders.Length; i++)
            {
                builders[i].Add(reader, i);
            }
        }
        return new ColumnSet(builders.Select(b => b.Build()).ToArray());
    }

    private static T?[] Nullables<T>(Column<T> column)
        where T : unmanaged
    {
        var values = new T?[column.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = column.IsNull(i) ? null : column.Values[i];
        }
        return values;
    }
}

/// <summary>A fully read result column: its name, DuckDB type name and per-row NULL flags.</summary>
public abstract class Column
{
    private readonly bool[]? nulls;

    private protected Column(string name, string typeName, int length, bool[]? nulls)
    {
        Name = name;
        TypeName = typeName;
        Length = length;
        this.nulls = nulls;
    }

    public string Name { get; }

    /// <summary>The name of the column's DuckDB type, e.g. Integer or Varchar.</summary>
    public string TypeName { get; }

    public int Length { get; }

    /// <summary>True when any row is NULL.</summary>
    public bool HasNulls => nulls is not null;

    public bool IsNull(int row) => nulls is not null && nulls[row];
}

/// <summary>A fixed-width column; NULL rows hold default values.</summary>
public sealed class Column<T> : Column
    where T : unmanaged
{
    internal Column(string name, string typeName, T[] values, bool[]? nulls)
        : base(name, typeName, values.Length, nulls) => Values = values;

    public T[] Values { get; }
}

/// <summary>A VARCHAR column.</summary>
public sealed class StringColumn : Column
{
    internal StringColumn(string name, string typeName, string?[] values, bool[]? nulls)
        : base(name, typeName, values.Length, nulls) => Values = values;

    public string?[] Values { get; }
}

/// <summary>Accumulates one column row by row with the reader's typed getter, in a doubling array; NULL flags only once one appears.</summary>
internal abstract class ColumnBuilder(string name, string typeName)
{
    private bool[]? nulls;

    protected string Name { get; } = name;

    protected string TypeName { get; } = typeName;

    protected int Count { get; private set; }

    protected bool[]? Nulls => nulls?[..Count];

    internal static ColumnBuilder For(string name, string typeName, Type type) => type switch
    {
        _ when type == typeof(bool) => new Fixed<bool>(name, typeName),
        _ when type == typeof(sbyte) => new Fixed<sbyte>(name, typeName),
        _ when type == typeof(short) => new Fixed<short>(name, typeName),
        _ when type == typeof(int) => new Fixed<int>(name, typeName),
        _ when type == typeof(long) => new Fixed<long>(name, typeName),
        _ when type == typeof(byte) => new Fixed<byte>(name, typeName),
        _ when type == typeof(ushort) => new Fixed<ushort>(name, typeName),
        _ when type == typeof(uint) => new Fixed<uint>(name, typeName),
        _ when type == typeof(ulong) => new Fixed<ulong>(name, typeName),
        _ when type == typeof(float) => new Fixed<float>(name, typeName),
        _ when type == typeof(double) => new Fixed<double>(name, typeName),
        _ when type == typeof(DateOnly) => new Fixed<DateOnly>(name, typeName),
        _ when type == typeof(DateTime) => new Fixed<DateTime>(name, typeName),
        _ when type == typeof(string) => new Strings(name, typeName),
        _ => new Unsupported(name, typeName),
    };

    internal void Add(DbDataReader reader, int ordinal)
    {
        var row = Count++;
        if (reader.IsDBNull(ordinal))
        {
            nulls ??= new bool[Math.Max(Count, 1024)];
            if (nulls.Length < Count)
            {
                Array.Resize(ref nulls, Math.Max(Count, nulls.Length * 2));
            }
            nulls[row] = true;
            AddNull(row);
        }
        else
        {
            AddValue(reader, ordinal, row);
        }
    }

    internal abstract Column Build();

    protected abstract void AddValue(DbDataReader reader, int ordinal, int row);

    protected abstract void AddNull(int row);

    /// <summary>Room for <paramref name="row"/> in <paramref name="values"/>, doubling as needed.</summary>
    protected static void Ensure<T>(ref T[] values, int row)
    {
        if (row >= values.Length)
        {
            Array.Resize(ref values, Math.Max(1024, values.Length * 2));
        }
    }

    private sealed class Fixed<T>(string name, string typeName) : ColumnBuilder(name, typeName)
        where T : unmanaged
    {
        private T[] values = [];

        internal override Column Build() => new Column<T>(Name, TypeName, values[..Count], Nulls);

        protected override void AddValue(DbDataReader reader, int ordinal, int row)
        {
            Ensure(ref values, row);
            values[row] = reader.GetFieldValue<T>(ordinal);
        }

        protected override void AddNull(int row)
        {
            Ensure(ref values, row);
            values[row] = default;
        }
    }

    private sealed class Strings(string name, string typeName) : ColumnBuilder(name, typeName)
    {
        private string?[] values = [];

        internal override Column Build() => new StringColumn(Name, TypeName, values[..Count], Nulls);

        protected override void AddValue(DbDataReader reader, int ordinal, int row)
        {
            Ensure(ref values, row);
            values[row] = reader.GetString(ordinal);
        }

        protected override void AddNull(int row)
        {
            Ensure(ref values, row);
            values[row] = null;
        }
    }

    private sealed class Unsupported(string name, string typeName) : ColumnBuilder(name, typeName)
    {
        internal override Column Build() => new Column<byte>(Name, TypeName, [], null);

        protected override void AddValue(DbDataReader reader, int ordinal, int row) =>
            throw new InvalidOperationException($"Column '{Name}' has type {TypeName}, which cannot be read into a typed column; cast it in SQL (e.g. ::DOUBLE or ::VARCHAR).");

        protected override void AddNull(int row)
        {
        }
    }
}
