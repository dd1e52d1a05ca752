using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace HmRec.Training.Gpu.Tensors.Cpu;

/// <summary>
/// The CPU backend: matrix products through OpenBLAS sgemm (its own threads), element-wise work through
/// System.Numerics.Tensors over rows, spread over the cores. Column reductions add a fixed number of row
/// blocks in a fixed order, so results do not depend on how threads were scheduled.
/// </summary>
public sealed unsafe class CpuBackend : TensorBackend
{
    /// <summary>Column reductions are split into this many row blocks whatever the core count.</summary>
    private const int ReductionBlocks = 8;

    /// <summary>Below this many elements an operation runs on the calling thread.</summary>
    private const int ParallelThreshold = 1 << 15;

    private readonly ParallelOptions parallel;

    /// <param name="threads">Threads for OpenBLAS and the element-wise work; 0 for one per core.</param>
    public CpuBackend(int threads = 0)
    {
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        parallel = new ParallelOptions { MaxDegreeOfParallelism = Threads };
        NativeMethods.SetThreads(Threads);
        Config = Marshal.PtrToStringUTF8(NativeMethods.GetConfig()) ?? "OpenBLAS";
    }

    public int Threads { get; }

    /// <summary>OpenBLAS's own description of its build (version, kernel, threading).</summary>
    public string Config { get; }

    public override string Name => "cpu";

    public override string Description => $"CPU, {Threads} threads, {Config.Trim()}";

    public override Tensor Allocate(int rows, int columns) => new CpuTensor(rows, columns);

    public override void Fill(Tensor tensor, float value) => C(tensor).Span.Fill(value);

    public override void Relu(Tensor x)
    {
        var t = C(x);
        ForRows(t.Rows, t.Columns, (from, to) => TensorPrimitives.Max(t.Data.AsSpan(from * t.Columns, (to - from) * t.Columns), 0f, t.Data.AsSpan(from * t.Columns, (to - from) * t.Columns)));
    }

    protected override void UploadCore(ReadOnlySpan<float> source, Tensor target) => source.CopyTo(C(target).Span);

    protected override void DownloadCore(Tensor source, Span<float> target) => C(source).Span.CopyTo(target);

    protected override void CopyCore(Tensor source, Tensor target) => C(source).Span.CopyTo(C(target).Span);

    protected override void MatMulCore(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, float beta, int m, int n, int k)
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            // sgemm with k = 0 only scales c; do it here rather than rely on every BLAS handling it.
            TensorPrimitives.Multiply(C(c).Span, beta, C(c).Span);
            return;
        }
        fixed (float* pa = C(a).Data, pb = C(b).Data, pc = C(c).Data)
        {
            NativeMethods.Sgemm(NativeMethods.RowMajor,
                transposeA ? NativeMethods.Transpose : NativeMethods.NoTranspose,
                transposeB ? NativeMethods.Transpose : NativeMethods.NoTranspose,
                m, n, k, 1f, pa, a.Columns, pb, b.Columns, beta, pc, c.Columns);
        }
    }

    protected override void AddRowCore(Tensor x, Tensor row)
    {
        var t = C(x);
        var r = C(row);
        ForRows(t.Rows, t.Columns, (from, to) =>
        {
            var b = r.Data.AsSpan(0, t.Columns);
            for (var i = from; i < to; i++)
            {
                TensorPrimitives.Add(t.Row(i), b, t.Row(i));
            }
        });
    }

    protected override void SumRowsCore(Tensor x, Tensor sums)
    {
        var t = C(x);
        var partials = BlockSums(t.Rows, t.Columns, (row, into, _) => TensorPrimitives.Add(into, t.Row(row), into));
        Reduce(partials, C(sums).Data.AsSpan(0, t.Columns));
    }

    protected override void BatchNormTrainCore(Tensor x, BatchNormState state, float momentum, float epsilon, Tensor y)
    {
        var input = C(x);
        var n = input.Rows;
        var columns = input.Columns;
        var mean = new float[columns];
        Reduce(BlockSums(n, columns, (row, into, _) => TensorPrimitives.Add(into, input.Row(row), into)), mean);
        TensorPrimitives.Multiply(mean, 1f / n, mean);
        var variance = new float[columns];
        Reduce(BlockSums(n, columns, (row, into, scratch) =>
        {
            TensorPrimitives.Subtract(input.Row(row), mean, scratch);
            TensorPrimitives.MultiplyAdd(scratch, scratch, into, into);
        }), variance);
        TensorPrimitives.Multiply(variance, 1f / n, variance);

        var inverse = C(state.InverseStd).Data.AsSpan(0, columns);
        for (var j = 0; j < columns; j++)
        {
            inverse[j] = 1f / MathF.Sqrt(variance[j] + epsilon);
        }
        var runningMean = C(state.RunningMean).Data.AsSpan(0, columns);
        var runningVariance = C(state.RunningVariance).Data.AsSpan(0, columns);
        var unbiased = n / (float)(n - 1);
        for (var j = 0; j < columns; j++)
        {
            runningMean[j] = (1 - momentum) * runningMean[j] + momentum * mean[j];
            runningVariance[j] = (1 - momentum) * runningVariance[j] + momentum * variance[j] * unbiased;
        }

        var normalised = C(state.Normalised);
        var output = C(y);
        var gamma = C(state.Gamma).Data;
        var beta = C(state.Beta).Data;
        var inv = C(state.InverseStd).Data;
        ForRows(n, columns, (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                var h = normalised.Row(i);
                TensorPrimitives.Subtract(input.Row(i), mean, h);
                TensorPrimitives.Multiply(h, inv.AsSpan(0, columns), h);
                TensorPrimitives.MultiplyAdd(h, gamma.AsSpan(0, columns), beta.AsSpan(0, columns), output.Row(i));
            }
        });
    }

    protected override void BatchNormInferCore(Tensor x, BatchNormState state, float epsilon, Tensor y)
    {
        var input = C(x);
        var columns = input.Columns;
        // y = x * scale + shift with scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
        var scale = new float[columns];
        var shift = new float[columns];
        var gamma = C(state.Gamma).Data;
        var beta = C(state.Beta).Data;
        var mean = C(state.RunningMean).Data;
        var variance = C(state.RunningVariance).Data;
        for (var j = 0; j < columns; j++)
        {
            scale[j] = gamma[j] / MathF.Sqrt(variance[j] + epsilon);
            shift[j] = beta[j] - mean[j] * scale[j];
        }
        var output = C(y);
        ForRows(input.Rows, columns, (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                TensorPrimitives.MultiplyAdd(input.Row(i), scale, shift, output.Row(i));
            }
        });
    }

    protected override void BatchNormBackwardCore(Tensor dy, BatchNormState state, Tensor dx)
    {
        var gradient = C(dy);
        var normalised = C(state.Normalised);
        var n = gradient.Rows;
        var columns = gradient.Columns;
        var dbeta = C(state.BetaGradient).Data.AsSpan(0, columns);
        var dgamma = C(state.GammaGradient).Data.AsSpan(0, columns);
        Reduce(BlockSums(n, columns, (row, into, _) => TensorPrimitives.Add(into, gradient.Row(row), into)), dbeta);
        Reduce(BlockSums(n, columns, (row, into, _) => TensorPrimitives.MultiplyAdd(gradient.Row(row), normalised.Row(row), into, into)), dgamma);

        // dx = gamma / (n σ) (n dy − Σdy − x̂ Σ(dy x̂))
        var scale = new float[columns];
        var gamma = C(state.Gamma).Data;
        var inverse = C(state.InverseStd).Data;
        for (var j = 0; j < columns; j++)
        {
            scale[j] = gamma[j] * inverse[j] / n;
        }
        var betaGradient = C(state.BetaGradient).Data;
        var gammaGradient = C(state.GammaGradient).Data;
        var output = C(dx);
        ForRows(n, columns, (from, to) =>
        {
            var sb = betaGradient.AsSpan(0, columns);
            var sg = gammaGradient.AsSpan(0, columns);
            for (var i = from; i < to; i++)
            {
                var d = output.Row(i);
                TensorPrimitives.Multiply(normalised.Row(i), sg, d);
                TensorPrimitives.Add(d, sb, d);
                TensorPrimitives.MultiplyAdd(gradient.Row(i), -n, d, d);
                TensorPrimitives.Multiply(d, -1f, d);
                TensorPrimitives.Multiply(d, scale, d);
            }
        });
    }

    protected override void ReluDropoutCore(Tensor x, Tensor mask, float dropout, ulong stream)
    {
        var values = C(x);
        var factors = C(mask);
        var keep = 1f / (1 - dropout);
        ForRows(values.Rows, values.Columns, (from, to) =>
        {
            var v = values.Data;
            var f = factors.Data;
            var i = from * values.Columns;
            var end = to * values.Columns;
            if (dropout > 0 && Vector256.IsHardwareAccelerated)
            {
                // Eight elements at a time, without branches: the same hash bits, uniform numbers and factors as
                // the scalar loop below (a 24-bit integer times 2^-24 is exact in float).
                var low = Vector256.Create(0UL, 1UL, 2UL, 3UL);
                var high = Vector256.Create(4UL, 5UL, 6UL, 7UL);
                var scale = Vector256.Create(1.0f / 16777216.0f);
                var p = Vector256.Create(dropout);
                var kept = Vector256.Create(keep);
                for (; i + Vector256<float>.Count <= end; i += Vector256<float>.Count)
                {
                    var counter = Vector256.Create(stream + (ulong)i);
                    var bits = Vector256.Narrow(DropoutHash.Mix(counter + low) >> 40, DropoutHash.Mix(counter + high) >> 40);
                    var uniform = Vector256.ConvertToSingle(bits.AsInt32()) * scale;
                    var x = Vector256.Create(v.AsSpan(i, Vector256<float>.Count));
                    var factor = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero) & Vector256.GreaterThanOrEqual(uniform, p), kept, Vector256<float>.Zero);
                    factor.CopyTo(f.AsSpan(i, Vector256<float>.Count));
                    (x * factor).CopyTo(v.AsSpan(i, Vector256<float>.Count));
                }
            }
            for (; i < end; i++)
            {
                var factor = v[i] > 0 && (dropout == 0 || DropoutHash.Uniform(stream, i) >= dropout) ? keep : 0f;
                f[i] = factor;
                v[i] *= factor;
            }
        });
    }

    protected override void MultiplyCore(Tensor x, Tensor mask) => TensorPrimitives.Multiply(C(x).Span, C(mask).Span, C(x).Span);

    protected override void CopyColumnsCore(Tensor source, Tensor target, int offset)
    {
        var s = C(source);
        var t = C(target);
        for (var i = 0; i < s.Rows; i++)
        {
            s.Row(i).CopyTo(t.Row(i).Slice(offset, s.Columns));
        }
    }

    protected override void ExtractColumnsCore(Tensor source, int offset, Tensor target)
    {
        var s = C(source);
        var t = C(target);
        for (var i = 0; i < t.Rows; i++)
        {
            s.Row(i).Slice(offset, t.Columns).CopyTo(t.Row(i));
        }
    }

    protected override float WeightedBinaryCrossEntropyCore(Tensor logits, Tensor labels, Tensor weights, Tensor gradient)
    {
        var z = C(logits).Span;
        var y = C(labels).Span;
        var w = C(weights).Span;
        var g = C(gradient).Span;
        double total = 0;
        double weightSum = 0;
        for (var i = 0; i < z.Length; i++)
        {
            // log(1 + e^z) − y z, written to stay finite for large |z|.
            var softplus = Math.Max(z[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(z[i])));
            total += w[i] * (softplus - y[i] * z[i]);
            weightSum += w[i];
        }
        var inverse = weightSum > 0 ? 1 / weightSum : 0;
        for (var i = 0; i < z.Length; i++)
        {
            g[i] = (float)(w[i] * (1 / (1 + Math.Exp(-z[i])) - y[i]) * inverse);
        }
        return (float)(total * inverse);
    }

    protected override void AdamWCore(Tensor parameter, Tensor gradient, Tensor m, Tensor v, AdamWStep step)
    {
        var p = C(parameter).Data;
        var g = C(gradient).Data;
        var m1 = C(m).Data;
        var m2 = C(v).Data;
        var length = parameter.Length;
        var decay = 1 - step.LearningRate * step.WeightDecay;
        var (b1, b2, c1, c2, lr, eps) = (step.Beta1, step.Beta2, step.Correction1, step.Correction2, step.LearningRate, step.Epsilon);
        ForRows(length, 1, (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                p[i] *= decay;
                m1[i] = b1 * m1[i] + (1 - b1) * g[i];
                m2[i] = b2 * m2[i] + (1 - b2) * g[i] * g[i];
                p[i] -= lr * (m1[i] / c1) / (MathF.Sqrt(m2[i] / c2) + eps);
            }
        });
    }

    private static CpuTensor C(Tensor t) => t as CpuTensor ?? throw new ArgumentException("The tensor belongs to another backend.");

    private static void Reduce(float[][] partials, Span<float> into)
    {
        into.Clear();
        foreach (var p in partials)
        {
            TensorPrimitives.Add(into, p, into);
        }
    }

    /// <summary>Runs <paramref name="body"/>(row, block sums, scratch) over every row, in <see cref="ReductionBlocks"/> fixed row blocks.</summary>
    private float[][] BlockSums(int rows, int columns, Action<int, float[], float[]> body)
    {
        var partials = new float[ReductionBlocks][];
        void Block(int b)
        {
            var sums = new float[columns];
            var scratch = new float[columns];
            for (var r = (int)((long)rows * b / ReductionBlocks); r < (int)((long)rows * (b + 1) / ReductionBlocks); r++)
            {
                body(r, sums, scratch);
            }
            partials[b] = sums;
        }
        if ((long)rows * columns < ParallelThreshold)
        {
            for (var b = 0; b < ReductionBlocks; b++)
            {
                Block(b);
            }
        }
        else
        {
            Parallel.For(0, ReductionBlocks, parallel, Block);
        }
        return partials;
    }

    /// <summary>Runs <paramref name="body"/>(from, to) over row ranges, in parallel when the work is large enough.</summary>
    private void ForRows(int rows, int columns, Action<int, int> body)
    {
        var blocks = (long)rows * columns < ParallelThreshold ? 1 : Math.Min(rows, Threads * 4);
        if (blocks <= 1)
        {
            body(0, rows);
            return;
        }
        Parallel.For(0, blocks, parallel, b => body((int)((long)rows * b / blocks), (int)((long)rows * (b + 1) / blocks)));
    }
}
