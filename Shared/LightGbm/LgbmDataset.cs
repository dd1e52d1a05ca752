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

    internal LgbmDatasetHandle Handle => LgbmHandle.Use(handle, this);

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

    /// <summary>
    /// An empty dataset of <paramref name="rows"/> rows binned with <paramref name="reference"/>'s bins (a validation
    /// set), filled a block at a time by <see cref="PushRows"/>: the caller never holds all its floats at once.
    /// LightGBM finishes it when the last row arrives; until then it cannot be used.
    /// </summary>
    public static LgbmDataset ByReference(LgbmDataset reference, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var handle = new LgbmDatasetHandle();
        LgbmCheck.Ok(NativeMethods.DatasetCreateByReference(reference.Handle, rows, out var pointer), "dataset creation by reference");
        handle.Attach(pointer);
        return new LgbmDataset(handle, rows, reference.Columns) { pending = rows };
    }

    private long pending;

    /// <summary>
    /// Bins <paramref name="rows"/> dense row-major rows into rows <paramref name="startRow"/>.. of a dataset made by
    /// <see cref="ByReference"/>; blocks come in order, each starting where the last ended.
    /// </summary>
    public unsafe LgbmDataset PushRows(ReadOnlySpan<float> values, int rows, int startRow)
    {
        if (rows <= 0 || (long)rows * Columns != values.Length)
        {
            throw new ArgumentException($"{rows} rows of {Columns} features need {(long)rows * Columns} values (got {values.Length}).", nameof(values));
        }
        if (startRow != Rows - pending || startRow + (long)rows > Rows)
        {
            throw new ArgumentException($"Rows {startRow}..{startRow + rows - 1} do not follow the {Rows - pending} rows pushed so far into a dataset of {Rows}.", nameof(startRow));
        }
        fixed (float* data = values)
        {
            LgbmCheck.Ok(NativeMethods.DatasetPushRows(Handle, data, NativeMethods.DTypeFloat32, rows, Columns, startRow), "pushing rows");
        }
        pending -= rows;
        return this;
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
