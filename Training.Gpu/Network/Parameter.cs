namespace HmRec.Training.Gpu.Network;

/// <summary>A learned tensor with its gradient and its AdamW moments.</summary>
public sealed class Parameter(string name, Tensor value, Tensor gradient, Tensor firstMoment, Tensor secondMoment)
{
    public string Name { get; } = name;

    public Tensor Value { get; } = value;

    public Tensor Gradient { get; } = gradient;

    public Tensor FirstMoment { get; } = firstMoment;

    public Tensor SecondMoment { get; } = secondMoment;

    /// <summary>A parameter of <paramref name="rows"/> x <paramref name="columns"/>, zeroed, with zeroed state.</summary>
    public static Parameter Create(TensorBackend backend, string name, int rows, int columns) =>
        new(name, backend.Allocate(rows, columns), backend.Allocate(rows, columns), backend.Allocate(rows, columns), backend.Allocate(rows, columns));
}
