using System.Runtime.InteropServices;

namespace HmRec.Shared.DuckDb;

/// <summary>DuckDB C API: query execution, results and data chunks.</summary>
internal static partial class NativeMethods
{
    /// <summary>Size of the C <c>duckdb_result</c> struct: five pointer-sized deprecated fields and internal_data.</summary>
    internal const int ResultStructSize = 48;

    [LibraryImport(Lib, EntryPoint = "duckdb_query", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState Query(DuckDbConnectionHandle connection, string query, IntPtr result);

    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_result")]
    internal static partial void DestroyResult(IntPtr result);

    [LibraryImport(Lib, EntryPoint = "duckdb_result_error")]
    internal static partial IntPtr ResultError(IntPtr result);

    [LibraryImport(Lib, EntryPoint = "duckdb_column_name")]
    internal static partial IntPtr ColumnName(DuckDbResultHandle result, ulong column);

    [LibraryImport(Lib, EntryPoint = "duckdb_column_type")]
    internal static partial DuckDbType ColumnType(DuckDbResultHandle result, ulong column);

    [LibraryImport(Lib, EntryPoint = "duckdb_column_count")]
    internal static partial ulong ColumnCount(DuckDbResultHandle result);

    [LibraryImport(Lib, EntryPoint = "duckdb_rows_changed")]
    internal static partial ulong RowsChanged(DuckDbResultHandle result);

    /// <summary>Takes the result struct by value, as the C signature does.</summary>
    [LibraryImport(Lib, EntryPoint = "duckdb_fetch_chunk")]
    internal static partial IntPtr FetchChunk(ResultStruct result);

    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_data_chunk")]
    internal static partial void DestroyDataChunk(ref IntPtr chunk);

    [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_get_size")]
    internal static partial ulong DataChunkGetSize(DuckDbDataChunkHandle chunk);

    [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_get_column_count")]
    internal static partial ulong DataChunkGetColumnCount(DuckDbDataChunkHandle chunk);

    [LibraryImport(Lib, EntryPoint = "duckdb_data_chunk_get_vector")]
    internal static partial IntPtr DataChunkGetVector(DuckDbDataChunkHandle chunk, ulong column);

    [LibraryImport(Lib, EntryPoint = "duckdb_vector_get_data")]
    internal static partial IntPtr VectorGetData(IntPtr vector);

    [LibraryImport(Lib, EntryPoint = "duckdb_vector_get_validity")]
    internal static partial IntPtr VectorGetValidity(IntPtr vector);

    /// <summary>Mirror of the C <c>duckdb_result</c> struct, for the by-value call above.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ResultStruct
    {
        internal ulong ColumnCount;
        internal ulong RowCount;
        internal ulong RowsChanged;
        internal IntPtr Columns;
        internal IntPtr ErrorMessage;
        internal IntPtr InternalData;
    }
}
