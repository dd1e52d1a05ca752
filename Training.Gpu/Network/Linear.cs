namespace HmRec.Training.Gpu.Network;

/// <summary>
/// y = x Wᵀ + b, with W of outputs x inputs, initialised as PyTorch does: U(−1/√in, 1/√in). A layer that
/// feeds a batch normalisation has no b: the normalisation subtracts the batch mean, so b's gradient is
/// zero but for rounding, and AdamW, which divides by the gradient's scale, would move it by rounding noise
/// (a different walk on every device).
/// </summary>
public sealed class Linear : Layer
{
    private readonly TensorBackend backend;
    private readonly Tensor output;
    private readonly Tensor? inputGradient;
    private Tensor? input;

    /// <summary>A layer with seeded weights; <paramref name="inputGradient"/> is false for a layer fed by data, whose input gradient nobody reads.</summary>
    public Linear(TensorBackend backend, string name, int inputs, int outputs, int capacity, bool inputGradient, Random random, bool bias = true)
    {
        this.backend = backend;
        Weight = Parameter.Create(backend, name + ".weight", outputs, inputs);
        var bound = 1 / MathF.Sqrt(inputs);
        var w = new float[outputs * inputs];
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = (float)(random.NextDouble() * 2 - 1) * bound;
        }
        backend.Upload(w, Weight.Value);
        if (bias)
        {
            Bias = Parameter.Create(backend, name + ".bias", 1, outputs);
            var b = new float[outputs];
            for (var i = 0; i < b.Length; i++)
            {
                b[i] = (float)(random.NextDouble() * 2 - 1) * bound;
            }
            backend.Upload(b, Bias.Value);
        }
        output = backend.Allocate(capacity, outputs);
        this.inputGradient = inputGradient ? backend.Allocate(capacity, inputs) : null;
    }

    public Parameter Weight { get; }

    /// <summary>The bias, or null for a layer without one.</summary>
    public Parameter? Bias { get; }

    public override IEnumerable<Parameter> Parameters => Bias is null ? [Weight] : [Weight, Bias];

    public override Tensor Forward(Tensor x, bool training, long step)
    {
        input = x;
        output.Rows = x.Rows;
        backend.MatMul(x, false, Weight.Value, true, output);
        if (Bias is not null)
        {
            backend.AddRow(output, Bias.Value);
        }
        return output;
    }

    public override Tensor? Backward(Tensor outputGradient)
    {
        var x = input ?? throw new InvalidOperationException("Backward before forward.");
        backend.MatMul(outputGradient, true, x, false, Weight.Gradient);
        if (Bias is not null)
        {
            backend.SumRows(outputGradient, Bias.Gradient);
        }
        if (inputGradient is null)
        {
            return null;
        }
        inputGradient.Rows = outputGradient.Rows;
        backend.MatMul(outputGradient, false, Weight.Value, false, inputGradient);
        return inputGradient;
    }
}
