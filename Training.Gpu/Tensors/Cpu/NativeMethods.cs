namespace HmRec.Training.Gpu.Tensors.Cpu;

/// <summary>The CBLAS entry points of OpenBLAS the CPU backend uses (LP64: 32-bit integers).</summary>
internal static unsafe partial class NativeMethods
{
    public const int RowMajor = 101;
    public const int NoTranspose = 111;
    public const int Transpose = 112;

    [LibraryImport("openblas", EntryPoint = "cblas_sgemm")]
    public static partial void Sgemm(int order, int transposeA, int transposeB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport("openblas", EntryPoint = "openblas_set_num_threads")]
    public static partial void SetThreads(int threads);

    [LibraryImport("openblas", EntryPoint = "openblas_get_num_threads")]
    public static partial int GetThreads();

    [LibraryImport("openblas", EntryPoint = "openblas_get_config")]
    public static partial IntPtr GetConfig();
}
