using System.Runtime.InteropServices;

namespace HmRec.Shared.DuckDb;

/// <summary>
/// Base of every DuckDB handle. A handle that depends on another (a connection on its database, a
/// statement on its connection) holds a reference on that parent, so the parent is released last
/// whatever order the user disposes them in.
/// </summary>
internal abstract class DuckDbHandle : SafeHandle
{
    private SafeHandle? parent;

    protected DuckDbHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Takes ownership of <paramref name="pointer"/> and a reference on <paramref name="owner"/>.</summary>
    internal void Attach(IntPtr pointer, SafeHandle? owner)
    {
        if (owner is not null)
        {
            var added = false;
            owner.DangerousAddRef(ref added);
            parent = owner;
        }
        SetHandle(pointer);
    }

    protected sealed override bool ReleaseHandle()
    {
        Destroy(handle);
        parent?.DangerousRelease();
        parent = null;
        return true;
    }

    /// <summary>Frees the native object. Must never throw.</summary>
    protected abstract void Destroy(IntPtr pointer);
}

internal sealed class DuckDbDatabaseHandle : DuckDbHandle
{
    protected override void Destroy(IntPtr pointer) => NativeMethods.Close(ref pointer);
}

internal sealed class DuckDbConnectionHandle : DuckDbHandle
{
    protected override void Destroy(IntPtr pointer) => NativeMethods.Disconnect(ref pointer);
}

internal sealed class DuckDbPreparedStatementHandle : DuckDbHandle
{
    protected override void Destroy(IntPtr pointer) => NativeMethods.DestroyPrepare(ref pointer);
}

internal sealed class DuckDbAppenderHandle : DuckDbHandle
{
    protected override void Destroy(IntPtr pointer) => NativeMethods.AppenderDestroy(ref pointer);
}

internal sealed class DuckDbDataChunkHandle : DuckDbHandle
{
    protected override void Destroy(IntPtr pointer) => NativeMethods.DestroyDataChunk(ref pointer);
}

/// <summary>Owns a heap block holding a C <c>duckdb_result</c> struct.</summary>
internal sealed class DuckDbResultHandle : DuckDbHandle
{
    internal static DuckDbResultHandle Allocate()
    {
        var result = new DuckDbResultHandle();
        var block = Marshal.AllocHGlobal(NativeMethods.ResultStructSize);
        unsafe
        {
            new Span<byte>((void*)block, NativeMethods.ResultStructSize).Clear();
        }
        result.Attach(block, owner: null);
        return result;
    }

    internal IntPtr Pointer => handle;

    protected override void Destroy(IntPtr pointer)
    {
        NativeMethods.DestroyResult(pointer);
        Marshal.FreeHGlobal(pointer);
    }
}
