using HmRec.Training.Gpu.Network;
using HmRec.Training.Gpu.Tensors.Cpu;
using HmRec.Training.Gpu.Tensors.Cuda;
using HmRec.Training.Gpu.Tests.Training;
using HmRec.Training.Gpu.Training;

namespace HmRec.Training.Gpu.DeviceTests;

[Trait("Category", "GPU")]
public sealed class CudaBackendTests
{
    [GpuFact]
    public void Cuda_OneTrainingStep_AgreesWithTheCpuWithin1e4()
    {
        using var cpu = new CpuBackend();
        using var cuda = new CudaBackend();
        var differences = DeviceComparison.Run(cpu, cuda);
        Assert.True(differences.Count > 40);
        Assert.All(differences, d => Assert.True(d.RelativeError <= 1e-4, $"{d.Tensor}: relative error {d.RelativeError:E2}"));
    }

    [GpuFact]
    public void Cuda_PlantedSignal_Learns()
    {
        using var cuda = new CudaBackend();
        var train = PlantedData.Create(600, 1);
        var validation = PlantedData.Create(200, 2);
        var trainer = new TwoTowerTrainer(cuda, new NetworkShape(train.UserColumns, train.ItemColumns, 0, train.PairColumns),
            new TrainerOptions { BatchSize = 256, MaxEpochs = 12, LearningRate = 3e-3f, Seed = 5 });
        var outcome = trainer.Fit(train, validation);
        Assert.True(outcome.BestValidationMap > 0.75, $"best validation MAP@12 {outcome.BestValidationMap:F3}");
    }
}
