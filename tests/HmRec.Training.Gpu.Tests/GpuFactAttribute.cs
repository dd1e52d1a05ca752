using HmRec.Training.Gpu.Tensors.Cuda;

namespace HmRec.Training.Gpu.Tests;

/// <summary>A fact that needs a CUDA GPU: reported as skipped, with the reason, on a machine without one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!CudaBackend.Probe(out var reason))
        {
            Skip = $"needs a CUDA GPU: {reason}";
        }
    }
}
