using System.Diagnostics;

namespace HmRec.Training.Gpu.Tests.Emulator;

/// <summary>
/// tests/cuda-emulator/cuda_emulator.cpp built once per test run with g++ (it compiles Training.Gpu's own
/// Kernels.cu), and the worker run as a child process with the CUDA library variables pointing at it: the
/// CUDA backend's host code and kernels on the CPU. The test process itself never loads it, so the GPU
/// tests still skip where no GPU is present.
/// </summary>
public sealed class CudaEmulator : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("hmrec-cuda-emulator-");

    public CudaEmulator()
    {
        var root = RepositoryRoot();
        var kernels = Path.Combine(root, "Training.Gpu", "Tensors", "Cuda", "Kernels.cu");
        Library = Path.Combine(directory.FullName, "libhmrec-cuda-emulator.so");
        var (code, output) = Execute("g++", ["-std=c++20", "-O3", "-Wall", "-Wextra", "-shared", "-fPIC", "-fvisibility=hidden",
            "-I", Path.GetDirectoryName(kernels)!, $"-DHMREC_KERNELS_PATH=\"{kernels}\"", "-o", Library,
            Path.Combine(root, "tests", "cuda-emulator", "cuda_emulator.cpp")], new Dictionary<string, string>(), TimeSpan.FromMinutes(3));
        if (code != 0)
        {
            throw new InvalidOperationException($"g++ could not build the CUDA emulator (exit {code}):\n{output}");
        }
    }

    /// <summary>The built emulator (driver API, cuBLAS and NVRTC in one library).</summary>
    public string Library { get; }

    public void Dispose() => directory.Delete(true);

    /// <summary>Runs hmrec-train-gpu with <paramref name="arguments"/> on the emulator; stdout and stderr together.</summary>
    public (int ExitCode, string Output) Worker(IEnumerable<string> arguments, string? fault = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["HMREC_CUDA_DRIVER_LIB"] = Library,
            ["HMREC_CUBLAS_LIB"] = Library,
            ["HMREC_NVRTC_LIB"] = Library,
            ["HMREC_CUDA_EMULATOR_FAULT"] = fault ?? "",
        };
        var worker = Path.Combine(AppContext.BaseDirectory, "hmrec-train-gpu.dll");
        return Execute("dotnet", [worker, .. arguments], environment, TimeSpan.FromMinutes(5));
    }

    private static (int, string) Execute(string file, IEnumerable<string> arguments, Dictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {file} ({e.Message}); 'make setup' installs g++ for the CUDA emulator tests", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} ran past {timeout}");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tests", "cuda-emulator", "cuda_emulator.cpp")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no tests/cuda-emulator/cuda_emulator.cpp above {AppContext.BaseDirectory}");
    }
}
