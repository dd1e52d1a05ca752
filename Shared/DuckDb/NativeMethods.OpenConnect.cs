using System.Runtime.InteropServices;

namespace HmRec.Shared.DuckDb;

/// <summary>DuckDB C API: open/connect and configuration.</summary>
internal static partial class NativeMethods
{
    private const string Lib = "duckdb";

    [LibraryImport(Lib, EntryPoint = "duckdb_open_ext", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState OpenExt(string? path, out IntPtr database, IntPtr config, out IntPtr error);

    [LibraryImport(Lib, EntryPoint = "duckdb_close")]
    internal static partial void Close(ref IntPtr database);

    [LibraryImport(Lib, EntryPoint = "duckdb_connect")]
    internal static partial DuckDbState Connect(DuckDbDatabaseHandle database, out IntPtr connection);

    [LibraryImport(Lib, EntryPoint = "duckdb_disconnect")]
    internal static partial void Disconnect(ref IntPtr connection);

    [LibraryImport(Lib, EntryPoint = "duckdb_interrupt")]
    internal static partial void Interrupt(DuckDbConnectionHandle connection);

    [LibraryImport(Lib, EntryPoint = "duckdb_library_version")]
    internal static partial IntPtr LibraryVersion();

    [LibraryImport(Lib, EntryPoint = "duckdb_create_config")]
    internal static partial DuckDbState CreateConfig(out IntPtr config);

    [LibraryImport(Lib, EntryPoint = "duckdb_set_config", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DuckDbState SetConfig(IntPtr config, string name, string option);

    [LibraryImport(Lib, EntryPoint = "duckdb_destroy_config")]
    internal static partial void DestroyConfig(ref IntPtr config);

    [LibraryImport(Lib, EntryPoint = "duckdb_free")]
    internal static partial void Free(IntPtr pointer);
}
