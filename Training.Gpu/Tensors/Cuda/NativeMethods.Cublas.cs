namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>cuBLAS (libcublas.so.13), column-major; every call returns a cublasStatus_t (0 = success).</summary>
internal static unsafe partial class NativeMethods
{
    public const string Cublas = "cublas";
    public const int CublasNoTranspose = 0;
    public const int CublasTranspose = 1;

    /// <summary>CUBLAS_PEDANTIC_MATH: plain fp32 (no TF32), so results can be compared with the CPU within 1e-4.</summary>
    public const int CublasPedanticMath = 2;

    /// <summary>CUBLAS_DEFAULT_MATH: fp32 as well (TF32 only when asked for), what PyTorch uses by default.</summary>
    public const int CublasDefaultMath = 0;

    [LibraryImport(Cublas, EntryPoint = "cublasCreate_v2")]
    public static partial int CublasCreate(out IntPtr handle);

    [LibraryImport(Cublas, EntryPoint = "cublasDestroy_v2")]
    public static partial int CublasDestroy(IntPtr handle);

    [LibraryImport(Cublas, EntryPoint = "cublasSetMathMode")]
    public static partial int CublasSetMathMode(IntPtr handle, int mode);

    [LibraryImport(Cublas, EntryPoint = "cublasSgemm_v2")]
    public static partial int CublasSgemm(IntPtr handle, int transposeA, int transposeB, int m, int n, int k,
        float* alpha, IntPtr a, int lda, IntPtr b, int ldb, float* beta, IntPtr c, int ldc);

    [LibraryImport(Cublas, EntryPoint = "cublasGetStatusString")]
    public static partial IntPtr CublasGetStatusString(int status);
}
