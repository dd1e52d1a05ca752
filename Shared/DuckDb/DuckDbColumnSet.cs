namespace HmRec.Shared.DuckDb;

/// <summary>The columns of a fully read result, looked up by name.</summary>
public sealed class DuckDbColumnSet
{
    private readonly DuckDbColumn[] columns;

    internal DuckDbColumnSet(DuckDbColumn[] columns) => this.columns = columns;

    /// <summary>Number of rows.</summary>
    public int RowCount => columns.Length == 0 ? 0 : columns[0].Length;

    /// <summary>The columns, in result order.</summary>
    public IReadOnlyList<DuckDbColumn> Columns => columns;

    /// <summary>The column called <paramref name="name"/> (case-insensitive).</summary>
    public DuckDbColumn this[string name] =>
        columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"The result has no column '{name}'; it has: {string.Join(", ", columns.Select(c => c.Name))}.");

    /// <summary>A fixed-width column read as <typeparamref name="T"/>.</summary>
    public DuckDbColumn<T> Get<T>(string name)
        where T : unmanaged =>
        this[name] as DuckDbColumn<T>
        ?? throw new InvalidOperationException($"Column '{name}' is {this[name].Type}; it cannot be read as {typeof(T).Name}.");

    /// <summary>A VARCHAR or BLOB column.</summary>
    public DuckDbStringColumn GetStrings(string name) =>
        this[name] as DuckDbStringColumn
        ?? throw new InvalidOperationException($"Column '{name}' is {this[name].Type}, not VARCHAR.");

    /// <summary>A DATE column as dates (null for NULL rows).</summary>
    public DateOnly?[] GetDates(string name)
    {
        var column = Get<int>(name);
        if (column.Type != DuckDbType.Date)
        {
            throw new InvalidOperationException($"Column '{name}' is {column.Type}, not DATE.");
        }
        var dates = new DateOnly?[column.Length];
        for (var i = 0; i < dates.Length; i++)
        {
            dates[i] = column.IsNull(i) ? null : DuckDbTime.FromDays(column.Values[i]);
        }
        return dates;
    }

    /// <summary>A TIMESTAMP column as UTC date-times (null for NULL rows).</summary>
    public DateTime?[] GetTimestamps(string name)
    {
        var column = Get<long>(name);
        if (column.Type != DuckDbType.Timestamp)
        {
            throw new InvalidOperationException($"Column '{name}' is {column.Type}, not TIMESTAMP.");
        }
        var times = new DateTime?[column.Length];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = column.IsNull(i) ? null : DuckDbTime.FromMicros(column.Values[i]);
        }
        return times;
    }
}
