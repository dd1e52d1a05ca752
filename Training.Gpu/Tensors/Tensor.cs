namespace HmRec.Training.Gpu.Tensors;

/// <summary>
/// A row-major matrix of floats held by a <see cref="TensorBackend"/> (host memory or device memory). Its
/// storage is sized once for <see cref="Capacity"/> rows; <see cref="Rows"/> is the number in use, so one
/// buffer serves full batches and the shorter last one.
/// </summary>
public abstract class Tensor : IDisposable
{
    private int rows;

    protected Tensor(int capacity, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        Capacity = capacity;
        Columns = columns;
        rows = capacity;
    }

    /// <summary>The rows the storage holds.</summary>
    public int Capacity { get; }

    /// <summary>The rows in use (at most <see cref="Capacity"/>).</summary>
    public int Rows
    {
        get => rows;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Capacity);
            rows = value;
        }
    }

    public int Columns { get; }

    /// <summary>Elements in use: <see cref="Rows"/> x <see cref="Columns"/>.</summary>
    public int Length => rows * Columns;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
