using HmRec.Training.Gpu.Tensors.Cpu;
using HmRec.Training.Gpu.Tensors.Cuda;

namespace HmRec.Training.Gpu.Tensors;

/// <summary>Picks the backend: <c>auto</c> takes CUDA when a GPU is usable, else the CPU; <c>cpu</c> and <c>cuda</c> force one.</summary>
public static class Devices
{
    public static readonly IReadOnlyList<string> Names = ["auto", "cpu", "cuda"];

    public static TensorBackend Create(string device, int threads = 0) => device switch
    {
        "cpu" => new CpuBackend(threads),
        "auto" => CudaBackend.Probe(out _) ? new CudaBackend() : new CpuBackend(threads),
        "cuda" => CudaBackend.Probe(out var reason) ? new CudaBackend() : throw new NotSupportedException($"--device cuda: {reason}."),
        _ => throw new ArgumentException($"--device must be one of {string.Join(", ", Names)} (got '{device}')."),
    };
}
