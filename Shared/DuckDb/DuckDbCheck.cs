using System.Runtime.InteropServices;

namespace HmRec.Shared.DuckDb;

/// <summary>The one path that turns a DuckDB status into a <see cref="DuckDbException"/>.</summary>
internal static class DuckDbCheck
{
    /// <summary>Throws when <paramref name="state"/> is an error, reading the native message on this thread.</summary>
    internal static void Ok(DuckDbState state, Func<IntPtr> nativeMessage, string operation)
    {
        if (state == DuckDbState.Success)
        {
            return;
        }
        var message = Utf8(nativeMessage());
        throw new DuckDbException(string.IsNullOrEmpty(message) ? $"DuckDB {operation} failed." : message);
    }

    /// <summary>Throws for calls whose failure carries no native message.</summary>
    internal static void Ok(DuckDbState state, string operation)
    {
        if (state != DuckDbState.Success)
        {
            throw new DuckDbException($"DuckDB {operation} failed.");
        }
    }

    internal static string? Utf8(IntPtr pointer) => pointer == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(pointer);
}
