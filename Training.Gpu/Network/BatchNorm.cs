namespace HmRec.Training.Gpu.Network;

/// <summary>Batch normalisation over the batch dimension (PyTorch's BatchNorm1d: momentum 0.1, ε 1e-5).</summary>
public sealed class BatchNorm : Layer
{
    public const float Momentum = 0.1f;
    public const float Epsilon = 1e-5f;

    private readonly TensorBackend backend;
    private readonly BatchNormState state;
    private readonly Tensor output;
    private readonly Tensor inputGradient;

    public BatchNorm(TensorBackend backend, string name, int columns, int capacity)
    {
        this.backend = backend;
        Scale = Parameter.Create(backend, name + ".weight", 1, columns);
        Shift = Parameter.Create(backend, name + ".bias", 1, columns);
        backend.Fill(Scale.Value, 1);
        RunningMean = backend.Allocate(1, columns);
        RunningVariance = backend.Allocate(1, columns);
        backend.Fill(RunningVariance, 1);
        Name = name;
        state = new BatchNormState(Scale.Value, Shift.Value, Scale.Gradient, Shift.Gradient, RunningMean, RunningVariance,
            backend.Allocate(capacity, columns), backend.Allocate(1, columns));
        output = backend.Allocate(capacity, columns);
        inputGradient = backend.Allocate(capacity, columns);
    }

    public string Name { get; }

    public Parameter Scale { get; }

    public Parameter Shift { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVariance { get; }

    public override IEnumerable<Parameter> Parameters => [Scale, Shift];

    public override IEnumerable<(string Name, Tensor Value)> Buffers => [(Name + ".running_mean", RunningMean), (Name + ".running_var", RunningVariance)];

    public override Tensor Forward(Tensor x, bool training, long step)
    {
        output.Rows = x.Rows;
        if (training)
        {
            state.Normalised.Rows = x.Rows;
            backend.BatchNormTrain(x, state, Momentum, Epsilon, output);
        }
        else
        {
            backend.BatchNormInfer(x, state, Epsilon, output);
        }
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        inputGradient.Rows = outputGradient.Rows;
        backend.BatchNormBackward(outputGradient, state, inputGradient);
        return inputGradient;
    }
}
