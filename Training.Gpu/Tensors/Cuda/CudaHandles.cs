namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>
/// Device memory from cuMemAlloc. It holds a reference on its context, so the context outlives it, and makes the
/// context current before freeing: the driver's current context is per thread, and memory that was not disposed is
/// freed on the finalizer thread, where no context is current (cuMemFree would fail there and leak the memory).
/// </summary>
internal sealed class DeviceMemory : SafeHandle
{
    private readonly PrimaryContext context;

    public DeviceMemory(nuint bytes, PrimaryContext context)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        var added = false;
        context.DangerousAddRef(ref added);
        this.context = context;
        var result = NativeMethods.MemAlloc(out var pointer, bytes);
        if (result != 0)
        {
            context.DangerousRelease();
            CudaCheck.Driver(result, $"allocation of {bytes} bytes");
        }
        SetHandle(pointer);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public IntPtr Pointer => handle;

    protected override bool ReleaseHandle()
    {
        var freed = NativeMethods.ContextSetCurrent(context.Context) == 0 && NativeMethods.MemFree(handle) == 0;
        context.DangerousRelease();
        return freed;
    }
}

/// <summary>A loaded module of compiled kernels.</summary>
internal sealed class CudaModule : SafeHandle
{
    public CudaModule(IntPtr module)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(module);

    public override bool IsInvalid => handle == IntPtr.Zero;

    public IntPtr Module => handle;

    protected override bool ReleaseHandle() => NativeMethods.ModuleUnload(handle) == 0;
}

/// <summary>A cuBLAS handle.</summary>
internal sealed class CublasHandle : SafeHandle
{
    public CublasHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
        CudaCheck.Cublas(NativeMethods.CublasCreate(out var h), "handle creation");
        SetHandle(h);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public IntPtr Handle => handle;

    protected override bool ReleaseHandle() => NativeMethods.CublasDestroy(handle) == 0;
}

/// <summary>The retained primary context of one device.</summary>
internal sealed class PrimaryContext : SafeHandle
{
    private readonly int device;

    public PrimaryContext(int device)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        this.device = device;
        CudaCheck.Driver(NativeMethods.PrimaryContextRetain(out var context, device), "primary context");
        SetHandle(context);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public IntPtr Context => handle;

    protected override bool ReleaseHandle() => NativeMethods.PrimaryContextRelease(device) == 0;
}
