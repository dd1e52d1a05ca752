namespace HmRec.Training.Gpu.Tensors.Cuda;

/// <summary>
/// The CUDA backend: matrix products through cuBLAS (fp32, no TF32), the rest through the kernels of
/// <see cref="CudaKernels"/>, tensors in device memory held by SafeHandles. Work goes to the default stream
/// in order; copies to and from the host wait for it. Uses device 0.
/// </summary>
public sealed unsafe class CudaBackend : TensorBackend
{
    private readonly PrimaryContext context;
    private readonly CublasHandle blas;
    private readonly CudaKernels kernels;
    private readonly CudaTensor loss;

    public CudaBackend()
    {
        CudaCheck.Driver(NativeMethods.Init(0), "initialisation");
        CudaCheck.Driver(NativeMethods.DeviceGetCount(out var count), "device count");
        if (count == 0)
        {
            throw new CudaException("CUDA reports no device.");
        }
        CudaCheck.Driver(NativeMethods.DeviceGet(out var device, 0), "device 0");
        var name = new byte[256];
        fixed (byte* n = name)
        {
            CudaCheck.Driver(NativeMethods.DeviceGetName(n, name.Length, device), "device name");
        }
        CudaCheck.Driver(NativeMethods.DeviceGetAttribute(out var major, NativeMethods.ComputeCapabilityMajor, device), "compute capability");
        CudaCheck.Driver(NativeMethods.DeviceGetAttribute(out var minor, NativeMethods.ComputeCapabilityMinor, device), "compute capability");
        context = new PrimaryContext(device);
        MakeCurrent();
        blas = new CublasHandle();
        CudaCheck.Cublas(NativeMethods.CublasSetMathMode(blas.Handle, NativeMethods.CublasDefaultMath), "math mode");
        kernels = new CudaKernels(major, minor);
        loss = new CudaTensor(1, 1, context);
        Description = $"{Encoding.UTF8.GetString(name).TrimEnd('\0')} (compute capability {major}.{minor})";
    }

    public override string Name => "cuda";

    public override string Description { get; }

    /// <summary>Whether a CUDA device can be used here, and if not, why.</summary>
    public static bool Probe(out string reason)
    {
        try
        {
            NativeLibraryResolver.Load(CudaLibraries.Driver);
        }
        catch (DllNotFoundException)
        {
            reason = "no CUDA driver (libcuda.so.1) on this machine";
            return false;
        }
        var init = NativeMethods.Init(0);
        if (init != 0)
        {
            reason = $"the CUDA driver does not initialise (CUresult {init}: no GPU or no permission)";
            return false;
        }
        if (NativeMethods.DeviceGetCount(out var count) != 0 || count == 0)
        {
            reason = "the CUDA driver reports no device";
            return false;
        }
        reason = "";
        return true;
    }

    public override Tensor Allocate(int rows, int columns)
    {
        MakeCurrent();
        return new CudaTensor(rows, columns, context);
    }

    public override void Fill(Tensor tensor, float value)
    {
        MakeCurrent();
        CudaCheck.Driver(NativeMethods.MemsetD32(P(tensor), BitConverter.SingleToUInt32Bits(value), (nuint)tensor.Length), "fill");
    }

    public override void Relu(Tensor x)
    {
        var px = P(x);
        var n = x.Length;
        void** a = stackalloc void*[] { &px, &n };
        Launch("relu", CudaKernels.Blocks(n), a);
    }

    public override void Synchronize()
    {
        MakeCurrent();
        CudaCheck.Driver(NativeMethods.ContextSynchronize(), "synchronisation");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            loss.Dispose();
            kernels.Dispose();
            blas.Dispose();
            context.Dispose();
        }
    }

    protected override void UploadCore(ReadOnlySpan<float> source, Tensor target)
    {
        MakeCurrent();
        fixed (float* s = source)
        {
            CudaCheck.Driver(NativeMethods.CopyHostToDevice(P(target), s, (nuint)(source.Length * sizeof(float))), "copy to the device");
        }
    }

    protected override void DownloadCore(Tensor source, Span<float> target)
    {
        MakeCurrent();
        fixed (float* t = target)
        {
            CudaCheck.Driver(NativeMethods.CopyDeviceToHost(t, P(source), (nuint)(target.Length * sizeof(float))), "copy to the host");
        }
    }

    protected override void CopyCore(Tensor source, Tensor target)
    {
        MakeCurrent();
        CudaCheck.Driver(NativeMethods.CopyDeviceToDevice(P(target), P(source), (nuint)(source.Length * sizeof(float))), "copy on the device");
    }

    protected override void MatMulCore(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, float beta, int m, int n, int k)
    {
        MakeCurrent();
        if (m == 0 || n == 0)
        {
            return;
        }
        // Row-major C = op(A) op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ, and a row-major buffer read column-major
        // is its transpose: so B comes first, each with its own transpose flag, and m and n swap.
        var alpha = 1f;
        CudaCheck.Cublas(NativeMethods.CublasSgemm(blas.Handle,
            transposeB ? NativeMethods.CublasTranspose : NativeMethods.CublasNoTranspose,
            transposeA ? NativeMethods.CublasTranspose : NativeMethods.CublasNoTranspose,
            n, m, k, &alpha, P(b), b.Columns, P(a), a.Columns, &beta, P(c), c.Columns), "sgemm");
    }

    protected override void AddRowCore(Tensor x, Tensor row)
    {
        var (px, pb, rows, cols) = (P(x), P(row), x.Rows, x.Columns);
        void** a = stackalloc void*[] { &px, &pb, &rows, &cols };
        Launch("add_row", CudaKernels.Blocks((long)rows * cols), a);
    }

    protected override void SumRowsCore(Tensor x, Tensor sums)
    {
        var (px, ps, rows, cols) = (P(x), P(sums), x.Rows, x.Columns);
        void** a = stackalloc void*[] { &px, &ps, &rows, &cols };
        Launch("sum_rows", (uint)cols, a);
    }

    protected override void BatchNormTrainCore(Tensor x, BatchNormState state, float momentum, float epsilon, Tensor y)
    {
        var (px, pg, pb, pm, pv, ph, pi, py) = (P(x), P(state.Gamma), P(state.Beta), P(state.RunningMean), P(state.RunningVariance), P(state.Normalised), P(state.InverseStd), P(y));
        var (rows, cols) = (x.Rows, x.Columns);
        void** a = stackalloc void*[] { &px, &pg, &pb, &pm, &pv, &ph, &pi, &py, &rows, &cols, &momentum, &epsilon };
        Launch("bn_train", (uint)cols, a);
    }

    protected override void BatchNormInferCore(Tensor x, BatchNormState state, float epsilon, Tensor y)
    {
        var (px, pg, pb, pm, pv, py) = (P(x), P(state.Gamma), P(state.Beta), P(state.RunningMean), P(state.RunningVariance), P(y));
        var (rows, cols) = (x.Rows, x.Columns);
        void** a = stackalloc void*[] { &px, &pg, &pb, &pm, &pv, &py, &rows, &cols, &epsilon };
        Launch("bn_infer", CudaKernels.Blocks((long)rows * cols), a);
    }

    protected override void BatchNormBackwardCore(Tensor dy, BatchNormState state, Tensor dx)
    {
        var (pd, ph, pg, pi, pdg, pdb, px) = (P(dy), P(state.Normalised), P(state.Gamma), P(state.InverseStd), P(state.GammaGradient), P(state.BetaGradient), P(dx));
        var (rows, cols) = (dy.Rows, dy.Columns);
        void** a = stackalloc void*[] { &pd, &ph, &pg, &pi, &pdg, &pdb, &px, &rows, &cols };
        Launch("bn_backward", (uint)cols, a);
    }

    protected override void ReluDropoutCore(Tensor x, Tensor mask, float dropout, ulong stream)
    {
        var (px, pm, n) = (P(x), P(mask), x.Length);
        var keep = 1f / (1 - dropout);
        void** a = stackalloc void*[] { &px, &pm, &n, &dropout, &stream, &keep };
        Launch("relu_dropout", CudaKernels.Blocks(n), a);
    }

    protected override void MultiplyCore(Tensor x, Tensor mask)
    {
        var (px, pm, n) = (P(x), P(mask), x.Length);
        void** a = stackalloc void*[] { &px, &pm, &n };
        Launch("multiply", CudaKernels.Blocks(n), a);
    }

    protected override void CopyColumnsCore(Tensor source, Tensor target, int offset)
    {
        var (ps, pt, rows, sc, tc) = (P(source), P(target), source.Rows, source.Columns, target.Columns);
        void** a = stackalloc void*[] { &ps, &pt, &rows, &sc, &tc, &offset };
        Launch("copy_columns", CudaKernels.Blocks((long)rows * sc), a);
    }

    protected override void ExtractColumnsCore(Tensor source, int offset, Tensor target)
    {
        var (ps, pt, rows, sc, tc) = (P(source), P(target), target.Rows, source.Columns, target.Columns);
        void** a = stackalloc void*[] { &ps, &pt, &rows, &sc, &tc, &offset };
        Launch("extract_columns", CudaKernels.Blocks((long)rows * tc), a);
    }

    protected override float WeightedBinaryCrossEntropyCore(Tensor logits, Tensor labels, Tensor weights, Tensor gradient)
    {
        var (pz, py, pw, pg, pl, n) = (P(logits), P(labels), P(weights), P(gradient), loss.Pointer, logits.Length);
        void** a = stackalloc void*[] { &pz, &py, &pw, &pg, &pl, &n };
        Launch("bce", 1, a);
        var value = 0f;
        CudaCheck.Driver(NativeMethods.CopyDeviceToHost(&value, loss.Pointer, sizeof(float)), "loss copy");
        return value;
    }

    protected override void AdamWCore(Tensor parameter, Tensor gradient, Tensor m, Tensor v, AdamWStep step)
    {
        var (pp, pg, pm, pv, n) = (P(parameter), P(gradient), P(m), P(v), parameter.Length);
        var (lr, decay, b1, b2, c1, c2, eps) = (step.LearningRate, 1 - step.LearningRate * step.WeightDecay, step.Beta1, step.Beta2, step.Correction1, step.Correction2, step.Epsilon);
        void** a = stackalloc void*[] { &pp, &pg, &pm, &pv, &n, &lr, &decay, &b1, &b2, &c1, &c2, &eps };
        Launch("adamw", CudaKernels.Blocks(n), a);
    }

    private static IntPtr P(Tensor t) => (t as CudaTensor ?? throw new ArgumentException("The tensor belongs to another backend.")).Pointer;

    private void Launch(string kernel, uint blocks, void** arguments)
    {
        MakeCurrent();
        kernels.Launch(kernel, blocks, arguments);
    }

    /// <summary>The context is per thread in the driver API: make it current wherever the backend is called from.</summary>
    private void MakeCurrent() => CudaCheck.Driver(NativeMethods.ContextSetCurrent(context.Context), "context");
}
