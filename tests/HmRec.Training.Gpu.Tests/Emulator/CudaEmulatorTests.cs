using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using HmRec.Shared.Analytics;

namespace HmRec.Training.Gpu.Tests.Emulator;

/// <summary>
/// The CUDA backend's host code and kernels, run on the CPU through tests/cuda-emulator (see
/// <see cref="CudaEmulator"/>): what can be checked of the CUDA path without a GPU. The GPU itself is
/// checked by the [GpuFact] tests of HmRec.Training.Gpu.DeviceTests, which skip here and run on a GPU machine
/// through bench/gpu.sh.
/// </summary>
public sealed partial class CudaEmulatorTests(CudaEmulator emulator) : IClassFixture<CudaEmulator>, IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("hmrec-emulated-");

    public void Dispose() => directory.Delete(true);

    [Fact]
    public void CheckDevices_OnTheEmulator_EveryTensorAgreesWithTheCpuWithin1e4()
    {
        var (code, output) = emulator.Worker(["check-devices"]);

        Assert.True(code == 0, output);
        Assert.Contains("cuda: HmRec CUDA emulator (CPU) (compute capability 9.0)", output, StringComparison.Ordinal);
        var worst = WorstLine().Match(output);
        Assert.True(worst.Success, output);
        Assert.True(double.Parse(worst.Groups["error"].Value, CultureInfo.InvariantCulture) <= 1e-4, output);
        Assert.True(int.Parse(worst.Groups["count"].Value, CultureInfo.InvariantCulture) >= 70, output);
        Assert.DoesNotContain("ABOVE TOLERANCE", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckDevices_ABrokenKernel_IsCaughtAndNamed()
    {
        // The batch-norm backward kernel does nothing: every gradient below the first batch norm is wrong.
        var (code, output) = emulator.Worker(["check-devices"], fault: "skip:bn_backward");

        Assert.True(code == 1, output);
        Assert.Matches(@"grad user\.0\.weight +\S+  ABOVE TOLERANCE", output);
        Assert.Matches(@"(?m)^logits +\S+$", output); // the forward pass is still right
    }

    [Fact]
    public void CheckDevices_KernelsThatDoNotCompile_ExitWithNvrtcsLog()
    {
        var (code, output) = emulator.Worker(["check-devices"], fault: "compile");

        Assert.True(code == 2, output);
        Assert.Contains("error: NVRTC could not compile the kernels: hmrec_kernels.cu(1): error:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Worker_OnTheEmulatedDevice_TrainsAsOnTheCpu()
    {
        var features = Path.Combine(directory.FullName, "features");
        var (sampled, log) = emulator.Worker(["sample-features", "--out", features, "--users", "100"]);
        Assert.True(sampled == 0, log);
        WorkerSummary Train(string device)
        {
            var output = Path.Combine(directory.FullName, device);
            var (code, text) = emulator.Worker(["--features", features, "--out", output, "--device", device, "--max-epochs", "2", "--batch-size", "512", "--learning-rate", "0.003"]);
            Assert.True(code == 0, text);
            // The emulator names every failed call (a free without a current context, a bad pointer): none may happen.
            Assert.DoesNotContain("cuda-emulator:", text, StringComparison.Ordinal);
            return JsonSerializer.Deserialize<WorkerSummary>(File.ReadAllText(Path.Combine(output, ModelFiles.Summary)))!;
        }

        var cuda = Train("cuda");
        var cpu = Train("cpu");

        Assert.Equal(("cuda", "HmRec CUDA emulator (CPU) (compute capability 9.0)"), (cuda.Device, cuda.DeviceDescription));
        Assert.Equal((cpu.TrainRows, cpu.Epochs, cpu.Parameters), (cuda.TrainRows, cuda.Epochs, cuda.Parameters));
        Assert.True(cuda.BestValidationMap > 0.6, $"validation MAP@12 {cuda.BestValidationMap}");
        Assert.Equal(cpu.BestValidationMap, cuda.BestValidationMap, 3);
        var cudaLog = File.ReadAllLines(Path.Combine(directory.FullName, "cuda", WorkerJob.LogFile));
        var cpuLog = File.ReadAllLines(Path.Combine(directory.FullName, "cpu", WorkerJob.LogFile));
        for (var i = 1; i < cpuLog.Length; i++)
        {
            var (a, b) = (double.Parse(cpuLog[i].Split(',')[1], CultureInfo.InvariantCulture), double.Parse(cudaLog[i].Split(',')[1], CultureInfo.InvariantCulture));
            Assert.True(Math.Abs(a - b) <= 1e-4 * Math.Abs(a), $"epoch {i} training loss: cpu {a}, emulated cuda {b}");
        }

        // The scores, row by row.
        using var connection = DuckDb.Open();
        var joined = $"""
            FROM read_parquet('{directory.FullName}/cpu/validation.parquet') a
            JOIN read_parquet('{directory.FullName}/cuda/validation.parquet') b USING (customer_idx, article_idx)
            """;
        var rows = connection.Scalar<long>($"SELECT count(*) {joined}");
        var worst = connection.Scalar<double>($"SELECT max(abs(a.score - b.score)) {joined}");
        Assert.Equal(cpu.ValidationRows, rows);
        Assert.True(worst < 1e-3, $"largest validation score difference {worst}");
    }

    [GeneratedRegex(@"worst: \S+(?: \S+)* (?<error>[0-9.]+E[-+]\d+) \(tolerance [^)]+\); (?<count>\d+) tensors compared")]
    private static partial Regex WorstLine();
}
