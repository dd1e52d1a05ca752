namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>A tensor in device memory.</summary>
internal sealed class CudaTensor : Tensor
{
    private readonly DeviceMemory memory;

    public CudaTensor(int capacity, int columns, PrimaryContext context)
        : base(capacity, columns)
    {
        memory = new DeviceMemory((nuint)((long)capacity * columns * sizeof(float)), context);
        CudaCheck.Driver(NativeMethods.MemsetD32(memory.Pointer, 0, (nuint)((long)capacity * columns)), "memset");
    }

    public IntPtr Pointer => memory.Pointer;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            memory.Dispose();
        }
    }
}
