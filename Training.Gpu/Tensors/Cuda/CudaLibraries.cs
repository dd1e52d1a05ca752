namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>
/// Where the CUDA libraries are found: the driver (libcuda.so.1) from the system loader; cuBLAS and NVRTC
/// (CUDA 13) from <c>HMREC_CUDA_LIB_DIR</c>, then the CUDA 13 install folders, then the system loader.
/// </summary>
internal static class CudaLibraries
{
    public const string DirectoryVariable = "HMREC_CUDA_LIB_DIR";

    private const string Hint = "install the CUDA 13 libraries (cuBLAS, NVRTC) or set HMREC_CUDA_LIB_DIR to their folder";

    public static IReadOnlyList<string> Directories =>
    [
        .. Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } d ? new[] { d } : [],
        "/usr/local/cuda-13.0/targets/x86_64-linux/lib",
        "/usr/local/cuda/targets/x86_64-linux/lib",
        "/usr/local/cuda/lib64",
    ];

    public static NativeLibrarySpec Driver => new("cuda", "HMREC_CUDA_DRIVER_LIB", ["libcuda.so.1"], "a GPU machine with the NVIDIA driver has libcuda.so.1 on its loader path");

    public static NativeLibrarySpec Cublas => new("cublas", "HMREC_CUBLAS_LIB", Candidates("libcublas.so.13"), Hint);

    public static NativeLibrarySpec Nvrtc => new("nvrtc", "HMREC_NVRTC_LIB", Candidates("libnvrtc.so.13"), Hint);

    /// <summary>
    /// NVRTC loads its builtins library by name at compile time; where the CUDA folder is not on the loader
    /// path that fails, so it is loaded here by its full path first (the loader then finds it by name).
    /// </summary>
    public static void PreloadNvrtcBuiltins()
    {
        foreach (var directory in Directories.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "libnvrtc-builtins.so.13*").Order(StringComparer.Ordinal))
            {
                if (NativeLibrary.TryLoad(file, out _))
                {
                    return;
                }
            }
        }
    }

    private static string[] Candidates(string name) => [.. Directories.Select(d => Path.Combine(d, name)), name];
}
