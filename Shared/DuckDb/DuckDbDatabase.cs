namespace HmRec.Shared.DuckDb;

/// <summary>An open DuckDB database, in memory or in a file. Thread-safe; open one connection per thread.</summary>
public sealed class DuckDbDatabase : IDisposable
{
    private readonly DuckDbDatabaseHandle handle;

    private DuckDbDatabase(DuckDbDatabaseHandle handle) => this.handle = handle;

    /// <summary>The version of the loaded libduckdb, e.g. "v1.5.6".</summary>
    public static string LibraryVersion => DuckDbCheck.Utf8(NativeMethods.LibraryVersion()) ?? "unknown";

    /// <summary>Opens a database.</summary>
    /// <param name="path">A file path, or null for an in-memory database.</param>
    /// <param name="settings">Start-up settings such as <c>threads</c>, <c>memory_limit</c>, <c>temp_directory</c>.</param>
    public static DuckDbDatabase Open(string? path = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var config = IntPtr.Zero;
        try
        {
            if (settings is { Count: > 0 })
            {
                DuckDbCheck.Ok(NativeMethods.CreateConfig(out config), "create_config");
                foreach (var (name, value) in settings)
                {
                    if (NativeMethods.SetConfig(config, name, value) != DuckDbState.Success)
                    {
                        throw new DuckDbException($"DuckDB rejected the setting {name}='{value}'.");
                    }
                }
            }

            var state = NativeMethods.OpenExt(path, out var db, config, out var error);
            if (state != DuckDbState.Success)
            {
                var message = DuckDbCheck.Utf8(error) ?? "unknown error";
                NativeMethods.Free(error);
                if (db != IntPtr.Zero)
                {
                    NativeMethods.Close(ref db);
                }
                throw new DuckDbException($"Cannot open DuckDB database '{path ?? ":memory:"}': {message}");
            }
            var handle = new DuckDbDatabaseHandle();
            handle.Attach(db, owner: null);
            return new DuckDbDatabase(handle);
        }
        finally
        {
            if (config != IntPtr.Zero)
            {
                NativeMethods.DestroyConfig(ref config);
            }
        }
    }

    /// <summary>Opens a connection. The database stays alive until every connection is disposed.</summary>
    public DuckDbConnection Connect()
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        DuckDbCheck.Ok(NativeMethods.Connect(handle, out var pointer), "connect");
        var connection = new DuckDbConnectionHandle();
        connection.Attach(pointer, handle);
        return new DuckDbConnection(connection);
    }

    /// <inheritdoc />
    public void Dispose() => handle.Dispose();
}
