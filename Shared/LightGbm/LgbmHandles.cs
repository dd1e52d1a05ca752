namespace HmRec.Shared.LightGbm;

/// <summary>An owned LightGBM Dataset.</summary>
internal sealed class LgbmDatasetHandle : SafeHandle
{
    public LgbmDatasetHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr pointer) => SetHandle(pointer);

    protected override bool ReleaseHandle() => NativeMethods.DatasetFree(handle) == 0;
}

/// <summary>An owned LightGBM Booster.</summary>
internal sealed class LgbmBoosterHandle : SafeHandle
{
    public LgbmBoosterHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr pointer) => SetHandle(pointer);

    protected override bool ReleaseHandle() => NativeMethods.BoosterFree(handle) == 0;
}
