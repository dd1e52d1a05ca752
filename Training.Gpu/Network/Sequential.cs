namespace HmRec.Training.Gpu.Network;

/// <summary>Layers applied in order.</summary>
public sealed class Sequential(IReadOnlyList<Layer> layers) : Layer
{
    public IReadOnlyList<Layer> Layers { get; } = layers;

    public override IEnumerable<Parameter> Parameters => Layers.SelectMany(l => l.Parameters);

    public override IEnumerable<(string Name, Tensor Value)> Buffers => Layers.SelectMany(l => l.Buffers);

    /// <summary>
    /// An MLP: for every width but the last, Linear (no bias) → BatchNorm → ReLU → Dropout; then a Linear
    /// to the last width, with a bias when <paramref name="outputBias"/> (not for a tower, whose output
    /// feeds the fusion MLP's first linear and batch norm, which cancel any per-column shift). Layer
    /// numbers for dropout streams start at <paramref name="firstLayer"/>.
    /// </summary>
    public static Sequential Mlp(TensorBackend backend, string name, int inputs, IReadOnlyList<int> widths, int capacity, float dropout,
        bool inputGradient, bool outputBias, Random random, ulong seed, int firstLayer)
    {
        var layers = new List<Layer>();
        var width = inputs;
        for (var i = 0; i < widths.Count; i++)
        {
            var last = i == widths.Count - 1;
            layers.Add(new Linear(backend, $"{name}.{i}", width, widths[i], capacity, inputGradient || i > 0, random, bias: last && outputBias));
            if (!last)
            {
                layers.Add(new BatchNorm(backend, $"{name}.{i}.bn", widths[i], capacity));
                layers.Add(new ReluDropout(backend, widths[i], capacity, dropout, seed, firstLayer + i));
            }
            width = widths[i];
        }
        return new Sequential(layers);
    }

    public override Tensor Forward(Tensor x, bool training, long step)
    {
        foreach (var layer in Layers)
        {
            x = layer.Forward(x, training, step);
        }
        return x;
    }

    public override Tensor? Backward(Tensor outputGradient)
    {
        Tensor? g = outputGradient;
        for (var i = Layers.Count - 1; i >= 0 && g is not null; i--)
        {
            g = Layers[i].Backward(g);
        }
        return g;
    }
}
