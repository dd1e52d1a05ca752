namespace HmRec.Shared.XgBoost;

/// <summary>
/// An XGBoost data matrix built from dense row-major floats, where NaN marks a missing value, with
/// optional labels, weights, query groups (consecutive rows of one user) and feature names.
/// </summary>
public sealed class XgDMatrix : IDisposable
{
    private readonly XgDMatrixHandle handle;

    private XgDMatrix(XgDMatrixHandle handle, int rows, int columns)
    {
        this.handle = handle;
        Rows = rows;
        Columns = columns;
    }

    public int Rows { get; }

    public int Columns { get; }

    internal XgDMatrixHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    /// <summary>A matrix of <paramref name="rows"/> x <paramref name="columns"/> values in row-major order; NaN is missing.</summary>
    public static unsafe XgDMatrix FromDense(ReadOnlySpan<float> values, int rows, int columns)
    {
        if (rows < 0 || columns <= 0 || (long)rows * columns != values.Length)
        {
            throw new ArgumentException($"A dense matrix of {rows} x {columns} needs {(long)rows * columns} values (got {values.Length}).", nameof(values));
        }
        var handle = new XgDMatrixHandle();
        IntPtr pointer;
        fixed (float* data = values)
        {
            XgCheck.Ok(NativeMethods.DMatrixCreateFromMat(data, (ulong)rows, (ulong)columns, float.NaN, out pointer), "DMatrix creation");
        }
        handle.Attach(pointer);
        return new XgDMatrix(handle, rows, columns);
    }

    /// <summary>The target of every row.</summary>
    public XgDMatrix SetLabels(ReadOnlySpan<float> labels) => SetFloats("label", labels, Rows);

    /// <summary>A weight per row, or, for ranking objectives, per group.</summary>
    public XgDMatrix SetWeights(ReadOnlySpan<float> weights) => SetFloats("weight", weights, weights.Length);

    /// <summary>Query groups for ranking: the sizes of consecutive row blocks, summing to <see cref="Rows"/>.</summary>
    public unsafe XgDMatrix SetGroups(ReadOnlySpan<uint> sizes)
    {
        long total = 0;
        foreach (var size in sizes)
        {
            total += size;
        }
        if (total != Rows)
        {
            throw new ArgumentException($"Group sizes sum to {total}; the matrix has {Rows} rows.", nameof(sizes));
        }
        fixed (uint* data = sizes)
        {
            XgCheck.Ok(NativeMethods.DMatrixSetUIntInfo(Handle, "group", data, (ulong)sizes.Length), "setting groups");
        }
        return this;
    }

    /// <summary>Names of the columns, used in feature scores and saved with the model.</summary>
    public XgDMatrix SetFeatureNames(IReadOnlyList<string> names)
    {
        if (names.Count != Columns)
        {
            throw new ArgumentException($"{names.Count} feature names for {Columns} columns.", nameof(names));
        }
        XgCheck.WithUtf8(names, pointers =>
            XgCheck.Ok(NativeMethods.DMatrixSetStrFeatureInfo(Handle, "feature_name", pointers, (ulong)pointers.Length), "setting feature names"));
        return this;
    }

    private unsafe XgDMatrix SetFloats(string field, ReadOnlySpan<float> values, int expected)
    {
        if (values.Length != expected)
        {
            throw new ArgumentException($"{values.Length} values for '{field}'; expected {expected}.", nameof(values));
        }
        fixed (float* data = values)
        {
            XgCheck.Ok(NativeMethods.DMatrixSetFloatInfo(Handle, field, data, (ulong)values.Length), $"setting {field}");
        }
        return this;
    }

    public void Dispose() => handle.Dispose();
}
