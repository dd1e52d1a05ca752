using HmRec.Training.Gpu.Tensors.Cuda;

namespace HmRec.Training.Gpu.Tests.Tensors;

/// <summary>The device choice without a GPU; the CUDA backend's own tests need one and are in HmRec.Training.Gpu.DeviceTests.</summary>
public sealed class CudaBackendTests
{
    [Fact]
    public void Devices_CudaWithoutAGpu_IsAClearError_AndAutoFallsBackToTheCpu()
    {
        if (CudaBackend.Probe(out _))
        {
            using var auto = Devices.Create("auto");
            Assert.Equal("cuda", auto.Name);
            return;
        }
        var error = Assert.Throws<NotSupportedException>(() => Devices.Create("cuda"));
        Assert.StartsWith("--device cuda: ", error.Message, StringComparison.Ordinal);
        using var fallback = Devices.Create("auto");
        Assert.Equal("cpu", fallback.Name);
        Assert.Throws<ArgumentException>(() => Devices.Create("tpu"));
    }
}
