namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>A CUDA driver, NVRTC or cuBLAS call failed; the message carries the library's own text.</summary>
public sealed class CudaException : Exception
{
    public CudaException(string message)
        : base(message)
    {
    }

    public CudaException()
    {
    }

    public CudaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
