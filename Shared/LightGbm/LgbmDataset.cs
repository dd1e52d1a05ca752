namespace HmRec.Shared.LightGbm;

/// <summary>
/// A LightGBM dataset built from dense row-major floats (NaN is missing), binned on creation so the
/// caller's array can be dropped; with labels, query groups (consecutive rows of one user) and feature
/// names. A validation set is binned with its training set's bins (<c>reference</c>).
/// </summary>
public sealed class LgbmDataset : IDisposable
{
    private readonly LgbmDatasetHandle handle;

    private LgbmDataset(LgbmDatasetHandle handle, int rows, int columns)
    {
        this.handle = handle;
        Rows = rows;
        Columns = columns;
    }

    public int Rows { get; }

    public int Columns { get; }

    internal LgbmDatasetHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            // LightGBM's log callback is per thread: this thread's is set before any call.
            LightGbmLibrary.EnsureLoaded();
            return handle;
        }
    }

    /// <summary>
    /// A dataset of <paramref name="rows"/> x <paramref name="columns"/> values in row-major order.
    /// <paramref name="parameters"/> are the training parameters (LightGBM reads the dataset ones among them).
    /// </summary>
    public static unsafe LgbmDataset FromDense(ReadOnlySpan<float> values, int rows, int columns,
        IEnumerable<KeyValuePair<string, string>> parameters, LgbmDataset? reference = null)
    {
        if (rows <= 0 || columns <= 0 || (long)rows * columns != values.Length)
        {
            throw new ArgumentException($"A dense matrix of {rows} x {columns} needs {(long)rows * columns} values (got {values.Length}); LightGBM needs at least one row.", nameof(values));
        }
        if (reference is not null && reference.Columns != columns)
        {
            throw new ArgumentException($"{columns} columns; the reference dataset has {reference.Columns}.", nameof(reference));
        }
        LightGbmLibrary.EnsureLoaded();
        var text = LgbmCheck.Parameters(parameters);
        var handle = new LgbmDatasetHandle();
        IntPtr pointer;
        // The reference is borrowed for the call only: LightGBM copies its bin boundaries.
        var borrowed = reference?.Handle.DangerousGetHandle() ?? IntPtr.Zero;
        fixed (float* data = values)
        {
            LgbmCheck.Ok(NativeMethods.DatasetCreateFromMat(data, NativeMethods.DTypeFloat32, rows, columns, 1, text, borrowed, out pointer), "dataset creation");
        }
        GC.KeepAlive(reference);
        handle.Attach(pointer);
        return new LgbmDataset(handle, rows, columns);
    }

    /// <summary>The target of every row (0/1, or graded relevance for the ranking objectives).</summary>
    public unsafe LgbmDataset SetLabels(ReadOnlySpan<float> labels)
    {
        if (labels.Length != Rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {Rows} rows.", nameof(labels));
        }
        fixed (float* data = labels)
        {
            LgbmCheck.Ok(NativeMethods.DatasetSetField(Handle, "label", data, labels.Length, NativeMethods.DTypeFloat32), "setting labels");
        }
        return this;
    }

    /// <summary>Query groups for the ranking objectives: the sizes of consecutive row blocks, summing to <see cref="Rows"/>.</summary>
    public unsafe LgbmDataset SetGroups(ReadOnlySpan<uint> sizes)
    {
        var counts = new int[sizes.Length];
        long total = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            counts[i] = checked((int)sizes[i]);
            total += sizes[i];
        }
        if (total != Rows)
        {
            throw new ArgumentException($"Group sizes sum to {total}; the dataset has {Rows} rows.", nameof(sizes));
        }
        fixed (int* data = counts)
        {
            LgbmCheck.Ok(NativeMethods.DatasetSetField(Handle, "group", data, counts.Length, NativeMethods.DTypeInt32), "setting groups");
        }
        return this;
    }

    /// <summary>Names of the columns, saved with the model and used for feature importance.</summary>
    public LgbmDataset SetFeatureNames(IReadOnlyList<string> names)
    {
        if (names.Count != Columns)
        {
            throw new ArgumentException($"{names.Count} feature names for {Columns} columns.", nameof(names));
        }
        LgbmCheck.WithUtf8(names, pointers => LgbmCheck.Ok(NativeMethods.DatasetSetFeatureNames(Handle, pointers, pointers.Length), "setting feature names"));
        return this;
    }

    public void Dispose() => handle.Dispose();
}
