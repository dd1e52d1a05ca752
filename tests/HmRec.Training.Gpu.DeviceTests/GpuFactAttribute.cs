using HmRec.Training.Gpu.Tensors.Cuda;

namespace HmRec.Training.Gpu.DeviceTests;

/// <summary>A fact that needs a CUDA GPU: reported as skipped, with the reason, on a machine without one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute(
        [System.Runtime.CompilerServices.CallerFilePath] string? sourceFilePath = null,
        [System.Runtime.CompilerServices.CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (!CudaBackend.Probe(out var reason))
        {
            Skip = $"needs a CUDA GPU: {reason}";
        }
    }
}
