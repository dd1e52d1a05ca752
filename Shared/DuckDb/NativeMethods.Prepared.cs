using System.Runtime.InteropServices;

namespace HmRec.Shared.DuckDb;

/// <summary>DuckDB C API: prepared statements and parameter binding (indices are 1-based).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "duckdb_prepare", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState Prepare(DuckDbConnectionHandle connection, string query, out IntPtr statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_prepare")]
    internal static partial void DestroyPrepare(ref IntPtr statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_prepare_error")]
    internal static partial IntPtr PrepareError(IntPtr statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_nparams")]
    internal static partial ulong ParameterCount(DuckDbPreparedStatementHandle statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_clear_bindings")]
    internal static partial DuckDbState ClearBindings(DuckDbPreparedStatementHandle statement);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_boolean")]
    internal static partial DuckDbState BindBoolean(DuckDbPreparedStatementHandle statement, ulong index, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_int32")]
    internal static partial DuckDbState BindInt32(DuckDbPreparedStatementHandle statement, ulong index, int value);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_int64")]
    internal static partial DuckDbState BindInt64(DuckDbPreparedStatementHandle statement, ulong index, long value);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_float")]
    internal static partial DuckDbState BindFloat(DuckDbPreparedStatementHandle statement, ulong index, float value);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_double")]
    internal static partial DuckDbState BindDouble(DuckDbPreparedStatementHandle statement, ulong index, double value);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_varchar_length")]
    internal static partial DuckDbState BindVarcharLength(DuckDbPreparedStatementHandle statement, ulong index, ReadOnlySpan<byte> value, ulong length);

    /// <summary><c>duckdb_date</c> is a struct holding one int32 (days since 1970-01-01); passed by value it is an int.</summary>
    [LibraryImport(Lib, EntryPoint = "duckdb_bind_date")]
    internal static partial DuckDbState BindDate(DuckDbPreparedStatementHandle statement, ulong index, int days);

    /// <summary><c>duckdb_timestamp</c> is a struct holding one int64 (microseconds since the epoch).</summary>
    [LibraryImport(Lib, EntryPoint = "duckdb_bind_timestamp")]
    internal static partial DuckDbState BindTimestamp(DuckDbPreparedStatementHandle statement, ulong index, long micros);

    [LibraryImport(Lib, EntryPoint = "duckdb_bind_null")]
    internal static partial DuckDbState BindNull(DuckDbPreparedStatementHandle statement, ulong index);

    [LibraryImport(Lib, EntryPoint = "duckdb_execute_prepared")]
    internal static partial DuckDbState ExecutePrepared(DuckDbPreparedStatementHandle statement, IntPtr result);
}
