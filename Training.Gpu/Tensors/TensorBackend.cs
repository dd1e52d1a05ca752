namespace HmRec.Training.Gpu.Tensors;

/// <summary>
/// The small set of tensor operations the two-tower network needs, implemented once per device (CPU:
/// OpenBLAS + System.Numerics.Tensors; CUDA: cuBLAS + NVRTC kernels). Layers are written against this
/// class only. Every operation works on the rows in use of its tensors; shapes are checked here, once, by
/// the public methods, and the backends implement the unchecked <c>...Core</c> methods.
/// </summary>
/// <remarks>
/// Dropout draws its mask from <see cref="DropoutHash"/>, a counter-based hash of (stream, element), so
/// both backends drop the same units and a CPU run can be compared with a CUDA run.
/// </remarks>
public abstract class TensorBackend : IDisposable
{
    /// <summary>"cpu" or "cuda".</summary>
    public abstract string Name { get; }

    /// <summary>What the backend runs on, for logs (threads, GPU name).</summary>
    public abstract string Description { get; }

    /// <summary>A zeroed tensor of <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    public abstract Tensor Allocate(int rows, int columns);

    /// <summary>Copies host values into the rows in use of <paramref name="target"/>.</summary>
    public void Upload(ReadOnlySpan<float> source, Tensor target)
    {
        Require(source.Length == target.Length, $"upload of {source.Length} values into a {target.Rows} x {target.Columns} tensor");
        UploadCore(source, target);
    }

    /// <summary>Copies the rows in use of <paramref name="source"/> to the host.</summary>
    public void Download(Tensor source, Span<float> target)
    {
        Require(source.Length == target.Length, $"download of a {source.Rows} x {source.Columns} tensor into {target.Length} values");
        DownloadCore(source, target);
    }

    /// <summary>The rows in use of <paramref name="source"/> as a new host array.</summary>
    public float[] ToArray(Tensor source)
    {
        var values = new float[source.Length];
        DownloadCore(source, values);
        return values;
    }

    /// <summary>Sets every element in use to <paramref name="value"/>.</summary>
    public abstract void Fill(Tensor tensor, float value);

    /// <summary>c = op(a) op(b) + beta c, where op transposes when asked; c's rows must match.</summary>
    public void MatMul(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, float beta = 0)
    {
        var (m, k) = transposeA ? (a.Columns, a.Rows) : (a.Rows, a.Columns);
        var (k2, n) = transposeB ? (b.Columns, b.Rows) : (b.Rows, b.Columns);
        Require(k == k2 && c.Rows == m && c.Columns == n,
            $"matmul of {m} x {k} by {k2} x {n} into {c.Rows} x {c.Columns}");
        MatMulCore(a, transposeA, b, transposeB, c, beta, m, n, k);
    }

    /// <summary>Adds the 1 x n <paramref name="row"/> to every row of <paramref name="x"/>.</summary>
    public void AddRow(Tensor x, Tensor row)
    {
        Require(row.Rows == 1 && row.Columns == x.Columns, "bias shape");
        AddRowCore(x, row);
    }

    /// <summary>The column sums of <paramref name="x"/> into the 1 x n <paramref name="sums"/> (overwritten).</summary>
    public void SumRows(Tensor x, Tensor sums)
    {
        Require(sums.Rows == 1 && sums.Columns == x.Columns, "column-sum shape");
        SumRowsCore(x, sums);
    }

    /// <summary>
    /// Batch normalisation in training mode: batch mean and (biased) variance per column, y = gamma x̂ + beta;
    /// keeps x̂ and 1/σ for the backward pass and moves the running statistics by <paramref name="momentum"/>
    /// (the running variance is the unbiased one).
    /// </summary>
    public void BatchNormTrain(Tensor x, BatchNormState state, float momentum, float epsilon, Tensor y)
    {
        Require(x.Rows >= 2, "batch normalisation needs at least 2 rows in training");
        CheckNorm(x, state, y);
        Require(state.Normalised.Rows == x.Rows, "x̂ rows");
        BatchNormTrainCore(x, state, momentum, epsilon, y);
    }

    /// <summary>Batch normalisation in inference mode, with the running statistics.</summary>
    public void BatchNormInfer(Tensor x, BatchNormState state, float epsilon, Tensor y)
    {
        CheckNorm(x, state, y);
        BatchNormInferCore(x, state, epsilon, y);
    }

    /// <summary>Gradients of the training-mode batch normalisation: dgamma, dbeta (overwritten) and dx.</summary>
    public void BatchNormBackward(Tensor dy, BatchNormState state, Tensor dx)
    {
        Require(dy.Rows == state.Normalised.Rows && dy.Columns == state.Normalised.Columns && dx.Rows == dy.Rows && dx.Columns == dy.Columns, "batch-norm gradient shape");
        BatchNormBackwardCore(dy, state, dx);
    }

    /// <summary>
    /// In place: x = max(x, 0), then inverted dropout with drop probability <paramref name="dropout"/> drawn
    /// from <paramref name="stream"/>; <paramref name="mask"/> receives the factor each element was multiplied
    /// by (0 or 1/(1-p)), which is also its gradient. With p = 0 this is a ReLU whose mask is its derivative.
    /// </summary>
    public void ReluDropout(Tensor x, Tensor mask, float dropout, ulong stream)
    {
        Require(mask.Rows == x.Rows && mask.Columns == x.Columns, "mask shape");
        Require(dropout is >= 0 and < 1, "dropout in [0, 1)");
        ReluDropoutCore(x, mask, dropout, stream);
    }

    /// <summary>In place: x = max(x, 0) (inference).</summary>
    public abstract void Relu(Tensor x);

    /// <summary>In place: x *= mask, element-wise.</summary>
    public void Multiply(Tensor x, Tensor mask)
    {
        Require(mask.Rows == x.Rows && mask.Columns == x.Columns, "mask shape");
        MultiplyCore(x, mask);
    }

    /// <summary>Writes <paramref name="source"/> into columns [offset, offset + source.Columns) of <paramref name="target"/>.</summary>
    public void CopyColumns(Tensor source, Tensor target, int offset)
    {
        Require(source.Rows == target.Rows && offset >= 0 && offset + source.Columns <= target.Columns, "column copy");
        CopyColumnsCore(source, target, offset);
    }

    /// <summary>Reads columns [offset, offset + target.Columns) of <paramref name="source"/> into <paramref name="target"/>.</summary>
    public void ExtractColumns(Tensor source, int offset, Tensor target)
    {
        Require(source.Rows == target.Rows && offset >= 0 && offset + target.Columns <= source.Columns, "column extract");
        ExtractColumnsCore(source, offset, target);
    }

    /// <summary>
    /// Weighted binary cross-entropy on logits: returns Σ wᵢ ℓᵢ / Σ wᵢ and writes its gradient
    /// wᵢ (σ(zᵢ) − yᵢ) / Σ w into <paramref name="gradient"/>. All four tensors are n x 1.
    /// </summary>
    public float WeightedBinaryCrossEntropy(Tensor logits, Tensor labels, Tensor weights, Tensor gradient)
    {
        Require(logits.Columns == 1 && labels.Length == logits.Length && weights.Length == logits.Length && gradient.Length == logits.Length, "loss shapes");
        return WeightedBinaryCrossEntropyCore(logits, labels, weights, gradient);
    }

    /// <summary>
    /// One AdamW step on <paramref name="parameter"/> (decoupled weight decay, bias-corrected moments), as
    /// PyTorch's AdamW: p -= lr·wd·p; m, v updated; p -= lr·m̂/(√v̂ + ε).
    /// </summary>
    public void AdamW(Tensor parameter, Tensor gradient, Tensor m, Tensor v, AdamWStep step)
    {
        Require(gradient.Length == parameter.Length && m.Length == parameter.Length && v.Length == parameter.Length, "optimizer state shapes");
        AdamWCore(parameter, gradient, m, v, step);
    }

    /// <summary>Copies the rows in use of <paramref name="source"/> into <paramref name="target"/> (same shape).</summary>
    public void Copy(Tensor source, Tensor target)
    {
        Require(source.Rows == target.Rows && source.Columns == target.Columns, "copy shape");
        CopyCore(source, target);
    }

    /// <summary>Waits for queued work to finish (a no-op where work is synchronous).</summary>
    public virtual void Synchronize()
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    protected abstract void UploadCore(ReadOnlySpan<float> source, Tensor target);

    protected abstract void DownloadCore(Tensor source, Span<float> target);

    protected abstract void MatMulCore(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, float beta, int m, int n, int k);

    protected abstract void AddRowCore(Tensor x, Tensor row);

    protected abstract void SumRowsCore(Tensor x, Tensor sums);

    protected abstract void BatchNormTrainCore(Tensor x, BatchNormState state, float momentum, float epsilon, Tensor y);

    protected abstract void BatchNormInferCore(Tensor x, BatchNormState state, float epsilon, Tensor y);

    protected abstract void BatchNormBackwardCore(Tensor dy, BatchNormState state, Tensor dx);

    protected abstract void ReluDropoutCore(Tensor x, Tensor mask, float dropout, ulong stream);

    protected abstract void MultiplyCore(Tensor x, Tensor mask);

    protected abstract void CopyColumnsCore(Tensor source, Tensor target, int offset);

    protected abstract void ExtractColumnsCore(Tensor source, int offset, Tensor target);

    protected abstract float WeightedBinaryCrossEntropyCore(Tensor logits, Tensor labels, Tensor weights, Tensor gradient);

    protected abstract void AdamWCore(Tensor parameter, Tensor gradient, Tensor m, Tensor v, AdamWStep step);

    protected abstract void CopyCore(Tensor source, Tensor target);

    private static void CheckNorm(Tensor x, BatchNormState state, Tensor y) =>
        Require(state.Gamma.Columns == x.Columns && y.Rows == x.Rows && y.Columns == x.Columns, "batch-norm shapes");

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new ArgumentException($"Tensor shapes do not fit: {what}.");
        }
    }
}
