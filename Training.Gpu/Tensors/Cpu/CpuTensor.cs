namespace HmRec.Training.Gpu.Tensors.Cpu;

/// <summary>A tensor in pinned host memory (so OpenBLAS can be handed its address without pinning per call).</summary>
internal sealed class CpuTensor : Tensor
{
    public CpuTensor(int capacity, int columns)
        : base(capacity, columns) => Data = GC.AllocateArray<float>(checked(capacity * columns), pinned: true);

    public float[] Data { get; }

    /// <summary>The elements in use.</summary>
    public Span<float> Span => Data.AsSpan(0, Length);

    public Span<float> Row(int row) => Data.AsSpan(row * Columns, Columns);

    protected override void Dispose(bool disposing)
    {
    }
}
