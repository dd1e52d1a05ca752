namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>Turns the status codes of the three CUDA libraries into <see cref="CudaException"/>s with their messages.</summary>
internal static class CudaCheck
{
    public static void Driver(int result, string what)
    {
        if (result != 0)
        {
            var text = NativeMethods.GetErrorString(result, out var p) == 0 ? Marshal.PtrToStringUTF8(p) : null;
            throw new CudaException($"CUDA {what} failed: {text ?? "unknown error"} (CUresult {result}).");
        }
    }

    public static void Nvrtc(int result, string what)
    {
        if (result != 0)
        {
            throw new CudaException($"NVRTC {what} failed: {Marshal.PtrToStringUTF8(NativeMethods.NvrtcGetErrorString(result))} ({result}).");
        }
    }

    public static void Cublas(int status, string what)
    {
        if (status != 0)
        {
            throw new CudaException($"cuBLAS {what} failed: {Marshal.PtrToStringUTF8(NativeMethods.CublasGetStatusString(status))} (status {status}).");
        }
    }
}
