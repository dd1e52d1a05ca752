using System.Runtime.InteropServices;

namespace HmRec.Shared.DuckDb;

/// <summary>DuckDB C API: appenders for bulk inserts.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib, EntryPoint = "duckdb_appender_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState AppenderCreate(DuckDbConnectionHandle connection, string? schema, string table, out IntPtr appender);

    [LibraryImport(Lib, EntryPoint = "duckdb_appender_error")]
    internal static partial IntPtr AppenderError(IntPtr appender);

    [LibraryImport(Lib, EntryPoint = "duckdb_appender_flush")]
    internal static partial DuckDbState AppenderFlush(DuckDbAppenderHandle appender);

    [LibraryImport(Lib, EntryPoint = "duckdb_appender_close")]
    internal static partial DuckDbState AppenderClose(DuckDbAppenderHandle appender);

    [LibraryImport(Lib, EntryPoint = "duckdb_appender_destroy")]
    internal static partial DuckDbState AppenderDestroy(ref IntPtr appender);

    [LibraryImport(Lib, EntryPoint = "duckdb_appender_end_row")]
    internal static partial DuckDbState AppenderEndRow(DuckDbAppenderHandle appender);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_bool")]
    internal static partial DuckDbState AppendBool(DuckDbAppenderHandle appender, [MarshalAs(UnmanagedType.U1)] bool value);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_int8")]
    internal static partial DuckDbState AppendInt8(DuckDbAppenderHandle appender, sbyte value);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_int16")]
    internal static partial DuckDbState AppendInt16(DuckDbAppenderHandle appender, short value);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_int32")]
    internal static partial DuckDbState AppendInt32(DuckDbAppenderHandle appender, int value);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_int64")]
    internal static partial DuckDbState AppendInt64(DuckDbAppenderHandle appender, long value);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_float")]
    internal static partial DuckDbState AppendFloat(DuckDbAppenderHandle appender, float value);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_double")]
    internal static partial DuckDbState AppendDouble(DuckDbAppenderHandle appender, double value);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_varchar_length")]
    internal static partial DuckDbState AppendVarcharLength(DuckDbAppenderHandle appender, ReadOnlySpan<byte> value, ulong length);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_date")]
    internal static partial DuckDbState AppendDate(DuckDbAppenderHandle appender, int days);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_timestamp")]
    internal static partial DuckDbState AppendTimestamp(DuckDbAppenderHandle appender, long micros);

    [LibraryImport(Lib, EntryPoint = "duckdb_append_null")]
    internal static partial DuckDbState AppendNull(DuckDbAppenderHandle appender);
}
