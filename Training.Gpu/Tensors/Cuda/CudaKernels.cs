namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>
/// The element-wise and per-column kernels of the CUDA backend: the CUDA C++ of Kernels.cu (embedded in
/// the assembly), compiled by NVRTC at start for the device's compute capability and loaded through the
/// driver API.
/// </summary>
internal sealed unsafe class CudaKernels : IDisposable
{
    public const int Threads = 256;

    /// <summary>The embedded name of Kernels.cu.</summary>
    public const string ResourceName = "HmRec.Training.Gpu.Kernels.cu";


    private static readonly string[] Names =
    [
        "fill", "add_row", "sum_rows", "bn_train", "bn_infer", "bn_backward", "relu_dropout", "relu", "multiply",
        "copy_columns", "extract_columns", "bce", "adamw",
    ];

    private readonly CudaModule module;
    private readonly Dictionary<string, IntPtr> functions = new(StringComparer.Ordinal);

    public CudaKernels(int major, int minor)
    {
        var ptx = Compile(major, minor);
        fixed (byte* image = ptx)
        {
            CudaCheck.Driver(NativeMethods.ModuleLoadData(out var m, image), "loading the compiled kernels");
            module = new CudaModule(m);
        }
        foreach (var name in Names)
        {
            var bytes = Encoding.ASCII.GetBytes(name + "\0");
            fixed (byte* n = bytes)
            {
                CudaCheck.Driver(NativeMethods.ModuleGetFunction(out var f, module.Module, n), $"kernel {name}");
                functions[name] = f;
            }
        }
    }

    public IntPtr this[string name] => functions[name];

    /// <summary>Launches <paramref name="name"/> on a 1-D grid.</summary>
    public void Launch(string name, uint blocks, void** arguments, uint threads = Threads)
    {
        if (blocks == 0)
        {
            return;
        }
        CudaCheck.Driver(NativeMethods.LaunchKernel(functions[name], blocks, 1, 1, threads, 1, 1, 0, IntPtr.Zero, arguments, null), $"launch of {name}");
    }

    /// <summary>Blocks of <see cref="Threads"/> threads covering <paramref name="elements"/>.</summary>
    public static uint Blocks(long elements) => (uint)((elements + Threads - 1) / Threads);

    public void Dispose() => module.Dispose();

    /// <summary>The kernels' CUDA C++ source (Kernels.cu).</summary>
    public static string Source()
    {
        using var stream = typeof(CudaKernels).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly lacks its embedded {ResourceName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The kernels as PTX for compute capability major.minor (NVRTC's log in the error when they do not compile).</summary>
    public static byte[] Compile(int major, int minor)
    {
        CudaLibraries.PreloadNvrtcBuiltins();
        var source = Encoding.UTF8.GetBytes(Source() + "\0");
        var name = "hmrec_kernels.cu\0"u8.ToArray();
        IntPtr program;
        fixed (byte* s = source, n = name)
        {
            CudaCheck.Nvrtc(NativeMethods.NvrtcCreateProgram(out program, s, n, 0, null, null), "program creation");
        }
        try
        {
            var options = new[] { $"--gpu-architecture=compute_{major}{minor}", "--std=c++17" }.Select(o => Encoding.ASCII.GetBytes(o + "\0")).ToArray();
            var handles = options.Select(o => GCHandle.Alloc(o, GCHandleType.Pinned)).ToArray();
            try
            {
                var pointers = stackalloc byte*[options.Length];
                for (var i = 0; i < options.Length; i++)
                {
                    pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                }
                var result = NativeMethods.NvrtcCompileProgram(program, options.Length, pointers);
                if (result != 0)
                {
                    NativeMethods.NvrtcGetProgramLogSize(program, out var logSize);
                    var log = new byte[logSize];
                    fixed (byte* l = log)
                    {
                        NativeMethods.NvrtcGetProgramLog(program, l);
                    }
                    throw new CudaException($"NVRTC could not compile the kernels: {Encoding.UTF8.GetString(log).TrimEnd('\0')}");
                }
            }
            finally
            {
                foreach (var h in handles)
                {
                    h.Free();
                }
            }
            CudaCheck.Nvrtc(NativeMethods.NvrtcGetPtxSize(program, out var size), "PTX size");
            var ptx = new byte[size];
            fixed (byte* p = ptx)
            {
                CudaCheck.Nvrtc(NativeMethods.NvrtcGetPtx(program, p), "PTX");
            }
            return ptx;
        }
        finally
        {
            NativeMethods.NvrtcDestroyProgram(ref program);
        }
    }
}
