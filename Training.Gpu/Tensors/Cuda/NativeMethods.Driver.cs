namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>The CUDA driver API (libcuda.so.1) entry points the backend uses; every call returns a CUresult (0 = success).</summary>
internal static unsafe partial class NativeMethods
{
    public const string Driver = "cuda";
    public const int ComputeCapabilityMajor = 75;
    public const int ComputeCapabilityMinor = 76;

    [LibraryImport(Driver, EntryPoint = "cuInit")]
    public static partial int Init(uint flags);

    [LibraryImport(Driver, EntryPoint = "cuDeviceGetCount")]
    public static partial int DeviceGetCount(out int count);

    [LibraryImport(Driver, EntryPoint = "cuDeviceGet")]
    public static partial int DeviceGet(out int device, int ordinal);

    [LibraryImport(Driver, EntryPoint = "cuDeviceGetName")]
    public static partial int DeviceGetName(byte* name, int length, int device);

    [LibraryImport(Driver, EntryPoint = "cuDeviceGetAttribute")]
    public static partial int DeviceGetAttribute(out int value, int attribute, int device);

    [LibraryImport(Driver, EntryPoint = "cuDevicePrimaryCtxRetain")]
    public static partial int PrimaryContextRetain(out IntPtr context, int device);

    [LibraryImport(Driver, EntryPoint = "cuDevicePrimaryCtxRelease_v2")]
    public static partial int PrimaryContextRelease(int device);

    [LibraryImport(Driver, EntryPoint = "cuCtxSetCurrent")]
    public static partial int ContextSetCurrent(IntPtr context);

    [LibraryImport(Driver, EntryPoint = "cuCtxSynchronize")]
    public static partial int ContextSynchronize();

    [LibraryImport(Driver, EntryPoint = "cuMemAlloc_v2")]
    public static partial int MemAlloc(out IntPtr pointer, nuint bytes);

    [LibraryImport(Driver, EntryPoint = "cuMemFree_v2")]
    public static partial int MemFree(IntPtr pointer);

    [LibraryImport(Driver, EntryPoint = "cuMemcpyHtoD_v2")]
    public static partial int CopyHostToDevice(IntPtr destination, void* source, nuint bytes);

    [LibraryImport(Driver, EntryPoint = "cuMemcpyDtoH_v2")]
    public static partial int CopyDeviceToHost(void* destination, IntPtr source, nuint bytes);

    [LibraryImport(Driver, EntryPoint = "cuMemcpyDtoD_v2")]
    public static partial int CopyDeviceToDevice(IntPtr destination, IntPtr source, nuint bytes);

    [LibraryImport(Driver, EntryPoint = "cuMemsetD32_v2")]
    public static partial int MemsetD32(IntPtr destination, uint value, nuint count);

    [LibraryImport(Driver, EntryPoint = "cuModuleLoadData")]
    public static partial int ModuleLoadData(out IntPtr module, byte* image);

    [LibraryImport(Driver, EntryPoint = "cuModuleUnload")]
    public static partial int ModuleUnload(IntPtr module);

    [LibraryImport(Driver, EntryPoint = "cuModuleGetFunction")]
    public static partial int ModuleGetFunction(out IntPtr function, IntPtr module, byte* name);

    [LibraryImport(Driver, EntryPoint = "cuLaunchKernel")]
    public static partial int LaunchKernel(IntPtr function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedMemoryBytes, IntPtr stream, void** parameters, void** extra);

    [LibraryImport(Driver, EntryPoint = "cuGetErrorString")]
    public static partial int GetErrorString(int result, out IntPtr text);
}
