using System.Text;

namespace HmRec.Shared.DuckDb;

/// <summary>A prepared statement. Parameter indices are 1-based, as in SQL's <c>$1</c>.</summary>
public sealed class DuckDbPreparedStatement : IDisposable
{
    private readonly DuckDbPreparedStatementHandle handle;

    internal DuckDbPreparedStatement(DuckDbPreparedStatementHandle handle) => this.handle = handle;

    /// <summary>How many parameters the statement takes.</summary>
    public int ParameterCount => (int)NativeMethods.ParameterCount(Handle);

    private DuckDbPreparedStatementHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    public DuckDbPreparedStatement Bind(int index, bool value) => Check(NativeMethods.BindBoolean(Handle, (ulong)index, value), index);

    public DuckDbPreparedStatement Bind(int index, int value) => Check(NativeMethods.BindInt32(Handle, (ulong)index, value), index);

    public DuckDbPreparedStatement Bind(int index, long value) => Check(NativeMethods.BindInt64(Handle, (ulong)index, value), index);

    public DuckDbPreparedStatement Bind(int index, float value) => Check(NativeMethods.BindFloat(Handle, (ulong)index, value), index);

    public DuckDbPreparedStatement Bind(int index, double value) => Check(NativeMethods.BindDouble(Handle, (ulong)index, value), index);

    public DuckDbPreparedStatement Bind(int index, DateOnly value) => Check(NativeMethods.BindDate(Handle, (ulong)index, DuckDbTime.ToDays(value)), index);

    public DuckDbPreparedStatement Bind(int index, DateTime value) => Check(NativeMethods.BindTimestamp(Handle, (ulong)index, DuckDbTime.ToMicros(value)), index);

    public DuckDbPreparedStatement Bind(int index, string? value)
    {
        if (value is null)
        {
            return BindNull(index);
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        return Check(NativeMethods.BindVarcharLength(Handle, (ulong)index, bytes, (ulong)bytes.Length), index);
    }

    public DuckDbPreparedStatement BindNull(int index) => Check(NativeMethods.BindNull(Handle, (ulong)index), index);

    /// <summary>Binds every value by its runtime type, parameter i+1 from element i.</summary>
    public DuckDbPreparedStatement BindAll(IReadOnlyList<object?> values)
    {
        if (values.Count != ParameterCount)
        {
            throw new ArgumentException($"The statement takes {ParameterCount} parameter(s) but {values.Count} were given.", nameof(values));
        }
        for (var i = 0; i < values.Count; i++)
        {
            var index = i + 1;
            _ = values[i] switch
            {
                null => BindNull(index),
                bool b => Bind(index, b),
                int v => Bind(index, v),
                long v => Bind(index, v),
                short v => Bind(index, (int)v),
                byte v => Bind(index, (int)v),
                float v => Bind(index, v),
                double v => Bind(index, v),
                string s => Bind(index, s),
                DateOnly d => Bind(index, d),
                DateTime t => Bind(index, t),
                var other => throw new ArgumentException($"Parameter ${index} has type {other.GetType().Name}, which cannot be bound; use int, long, float, double, bool, string, DateOnly or DateTime.", nameof(values)),
            };
        }
        return this;
    }

    /// <summary>Removes all bound values.</summary>
    public void ClearBindings() => DuckDbCheck.Ok(NativeMethods.ClearBindings(Handle), "clear_bindings");

    /// <summary>Runs the statement with the values bound so far.</summary>
    public DuckDbResult Query()
    {
        var result = DuckDbResultHandle.Allocate();
        try
        {
            var state = NativeMethods.ExecutePrepared(Handle, result.Pointer);
            DuckDbCheck.Ok(state, () => NativeMethods.ResultError(result.Pointer), "execute_prepared");
            return new DuckDbResult(result);
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Runs the statement and returns the number of rows changed.</summary>
    public long Execute()
    {
        using var result = Query();
        return result.RowsChanged;
    }

    /// <inheritdoc />
    public void Dispose() => handle.Dispose();

    private DuckDbPreparedStatement Check(DuckDbState state, int index)
    {
        if (state != DuckDbState.Success)
        {
            throw new DuckDbException($"Cannot bind parameter ${index}: the statement has {ParameterCount} parameter(s) or the value does not fit the parameter's type.");
        }
        return this;
    }
}
