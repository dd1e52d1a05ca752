using System.Globalization;

namespace HmRec.Shared.DuckDb;

/// <summary>A connection to a <see cref="DuckDbDatabase"/>. Not thread-safe: one per thread.</summary>
public sealed class DuckDbConnection : IDisposable
{
    private readonly DuckDbConnectionHandle handle;

    internal DuckDbConnection(DuckDbConnectionHandle handle) => this.handle = handle;

    internal DuckDbConnectionHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    /// <summary>Runs one or more statements and returns the number of rows changed by the last.</summary>
    public long Execute(string sql)
    {
        using var result = Query(sql);
        return result.RowsChanged;
    }

    /// <summary>Runs a query and returns its materialised result, read chunk by chunk.</summary>
    public DuckDbResult Query(string sql)
    {
        var result = DuckDbResultHandle.Allocate();
        try
        {
            var state = NativeMethods.Query(Handle, sql, result.Pointer);
            DuckDbCheck.Ok(state, () => NativeMethods.ResultError(result.Pointer), "query");
            return new DuckDbResult(result);
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs a parameterised query (<c>$1</c>, <c>$2</c> or <c>?</c>) with values bound by their runtime
    /// type: int, long, float, double, bool, string, DateOnly, DateTime, or null.
    /// </summary>
    public DuckDbResult Query(string sql, params object?[] parameters)
    {
        using var statement = Prepare(sql);
        statement.BindAll(parameters);
        return statement.Query();
    }

    /// <summary>Runs a parameterised statement and returns the rows changed.</summary>
    public long Execute(string sql, params object?[] parameters)
    {
        using var result = Query(sql, parameters);
        return result.RowsChanged;
    }

    /// <summary>The first column of the first row converted to <typeparamref name="T"/>, or default when there are no rows or it is NULL.</summary>
    public T? Scalar<T>(string sql, params object?[] parameters)
    {
        using var result = parameters.Length == 0 ? Query(sql) : Query(sql, parameters);
        using var chunk = result.FetchChunk();
        if (chunk is null || chunk.RowCount == 0)
        {
            return default;
        }
        var value = chunk.GetVector(0).GetValue(0);
        if (value is null)
        {
            return default;
        }
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value switch
        {
            T typed => typed,
            Int128 huge => (T)Convert.ChangeType((decimal)huge, target, CultureInfo.InvariantCulture),
            _ => (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Prepares a statement for repeated execution with different parameters.</summary>
    public DuckDbPreparedStatement Prepare(string sql)
    {
        var state = NativeMethods.Prepare(Handle, sql, out var pointer);
        var statement = new DuckDbPreparedStatementHandle();
        statement.Attach(pointer, handle);
        if (state != DuckDbState.Success)
        {
            var message = DuckDbCheck.Utf8(NativeMethods.PrepareError(pointer)) ?? "prepare failed";
            statement.Dispose();
            throw new DuckDbException(message);
        }
        return new DuckDbPreparedStatement(statement);
    }

    /// <summary>Creates an appender that bulk-inserts rows into <paramref name="table"/>.</summary>
    public DuckDbAppender CreateAppender(string table, string? schema = null)
    {
        var state = NativeMethods.AppenderCreate(Handle, schema, table, out var pointer);
        var appender = new DuckDbAppenderHandle();
        appender.Attach(pointer, handle);
        if (state != DuckDbState.Success)
        {
            var message = DuckDbCheck.Utf8(NativeMethods.AppenderError(pointer)) ?? $"cannot create an appender for table '{table}'";
            appender.Dispose();
            throw new DuckDbException(message);
        }
        return new DuckDbAppender(appender);
    }

    /// <summary>Asks a running query on this connection to stop; it then fails with an interrupt error.</summary>
    public void Interrupt() => NativeMethods.Interrupt(Handle);

    /// <inheritdoc />
    public void Dispose() => handle.Dispose();
}
