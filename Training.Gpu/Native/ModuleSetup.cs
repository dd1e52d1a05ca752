using System.Runtime.CompilerServices;

namespace HmRec.Training.Gpu.Native;

internal static class ModuleSetup
{
    // The resolver must be in place before the first P/Invoke of this assembly (see Shared's ModuleSetup).
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterNativeLibraries() =>
        NativeLibraryResolver.Register(typeof(ModuleSetup).Assembly, NativeLibraryResolver.OpenBlas,
            Tensors.Cuda.CudaLibraries.Driver, Tensors.Cuda.CudaLibraries.Cublas, Tensors.Cuda.CudaLibraries.Nvrtc);
}
