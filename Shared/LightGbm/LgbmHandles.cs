using Microsoft.Win32.SafeHandles;

namespace HmRec.Shared.LightGbm;

/// <summary>An owned LightGBM Dataset.</summary>
internal sealed class LgbmDatasetHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    internal void Attach(IntPtr pointer) => SetHandle(pointer);

    protected override bool ReleaseHandle() => NativeMethods.DatasetFree(handle) == 0;
}

/// <summary>An owned LightGBM Booster.</summary>
internal sealed class LgbmBoosterHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    internal void Attach(IntPtr pointer) => SetHandle(pointer);

    protected override bool ReleaseHandle() => NativeMethods.BoosterFree(handle) == 0;
}

/// <summary>The check before every call on a LightGBM object: not disposed, and this thread's log callback set.</summary>
internal static class LgbmHandle
{
    /// <summary><paramref name="handle"/>, once <paramref name="owner"/> is known not to be disposed and the library is ready on this thread.</summary>
    public static T Use<T>(T handle, object owner)
        where T : SafeHandle
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, owner);
        // LightGBM's log callback is per thread: this thread's is set before any call.
        LightGbmLibrary.EnsureLoaded();
        return handle;
    }
}
