using System.Runtime.InteropServices;

namespace HmRec.Shared.XgBoost;

/// <summary>An owned XGBoost DMatrix.</summary>
internal sealed class XgDMatrixHandle : SafeHandle
{
    public XgDMatrixHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr pointer) => SetHandle(pointer);

    protected override bool ReleaseHandle() => NativeMethods.DMatrixFree(handle) == 0;
}

/// <summary>An owned XGBoost Booster.</summary>
internal sealed class XgBoosterHandle : SafeHandle
{
    public XgBoosterHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr pointer) => SetHandle(pointer);

    protected override bool ReleaseHandle() => NativeMethods.BoosterFree(handle) == 0;
}
