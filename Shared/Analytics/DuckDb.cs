using System.Data;
using System.Numerics;

namespace HmRec.Shared.Analytics;

/// <summary>
/// Opens DuckDB databases (DuckDB.NET, with the libduckdb its package ships) and runs SQL on them in the
/// project's few shapes: a statement, a scalar, a result read whole into typed columns, or streamed row by row.
/// </summary>
public static class DuckDb
{
    /// <summary>A SQL string literal of <paramref name="text"/> (a path, a name): single quotes, inner quotes doubled.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Opens a new in-memory database with its own settings (<c>memory_limit</c>, <c>threads</c>,
    /// <c>temp_directory</c>, <c>preserve_insertion_order</c>...) and returns its one connection; disposing
    /// the connection closes the database.
    /// </summary>
    public static DuckDBConnection Open(IReadOnlyDictionary<string, string>? settings = null)
    {
        var builder = new DuckDBConnectionStringBuilder { DataSource = DuckDBConnectionStringBuilder.InMemoryDataSource };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            builder[name] = value;
        }
        var connection = new DuckDBConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs one or more statements (with <c>?</c> or <c>$n</c> parameters) and returns the rows the last changed.</summary>
    public static long Execute(this DuckDBConnection connection, string sql, params object?[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a query; read it whole with <see cref="QueryResult.ReadAll"/> or row by row through <see cref="QueryResult.Reader"/>.</summary>
    public static QueryResult Query(this DuckDBConnection connection, string sql, params object?[] parameters)
    {
        var command = Command(connection, sql, parameters);
        try
        {
            return new QueryResult(command, command.ExecuteReader());
        }
        catch
        {
            command.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a query whose rows are fetched from DuckDB a chunk at a time as they are read, instead of the whole result
    /// being materialised first: for results larger than the memory they are read into (feature tables). The reader
    /// ends early, without an error, if the query fails midway; callers check the rows they expected.
    /// </summary>
    public static QueryResult Stream(this DuckDBConnection connection, string sql)
    {
        var command = Command(connection, sql, []);
        command.UseStreamingMode = true;
        try
        {
            return new QueryResult(command, command.ExecuteReader());
        }
        catch
        {
            command.Dispose();
            throw;
        }
    }

    /// <summary>The first column of the first row converted to <typeparamref name="T"/>, or default when there are no rows or it is NULL.</summary>
    public static T? Scalar<T>(this DuckDBConnection connection, string sql, params object?[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        var value = command.ExecuteScalar();
        if (value is null or DBNull)
        {
            return default;
        }
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value switch
        {
            T typed => typed,
            BigInteger huge => (T)Convert.ChangeType((decimal)huge, target, CultureInfo.InvariantCulture),
            DateTime time when target == typeof(DateOnly) => (T)(object)DateOnly.FromDateTime(time),
            _ => (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture),
        };
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, object?[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var value in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(value ?? DBNull.Value));
        }
        return command;
    }
}

/// <summary>A query's result: its reader (row by row, typed reads through <c>GetFieldValue</c>) and the command behind it.</summary>
public sealed class QueryResult : IDisposable
{
    private readonly DuckDBCommand command;

    internal QueryResult(DuckDBCommand command, DuckDBDataReader reader)
    {
        this.command = command;
        Reader = reader;
    }

    public DuckDBDataReader Reader { get; }

    /// <summary>Reads every remaining row into typed columns.</summary>
    public ColumnSet ReadAll() => ColumnSet.Read(Reader);

    public void Dispose()
    {
        Reader.Dispose();
        command.Dispose();
    }
}
