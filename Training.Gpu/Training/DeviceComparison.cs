namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Runs one training step of the same network (same seed, same batch, same dropout stream) on two backends
/// and compares the logits, the loss, every parameter gradient, and the parameters and running statistics
/// after the AdamW step. The error of a tensor is max |a − b| over max |a|: relative to the tensor's scale,
/// as element-wise ratios mean nothing for elements near zero.
/// </summary>
/// <remarks>
/// Both backends take the AdamW step from the reference's gradients (each backend's own gradients are
/// compared before that). AdamW's first step moves every weight by lr · g/(|g| + ε), about ±lr whatever
/// |g|, so an element whose gradient is rounding noise on both devices would move ±lr on either side of
/// zero: a difference in the inputs, not in the step.
/// </remarks>
public static class DeviceComparison
{
    public sealed record Difference(string Tensor, double RelativeError);

    public static IReadOnlyList<Difference> Run(TensorBackend reference, TensorBackend other, int rows = 512, ulong seed = 11)
    {
        var shape = new NetworkShape(20, 24, 16, 46);
        var random = new Random((int)seed);
        float[] Values(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        var user = Values(rows * shape.UserInputs);
        var item = Values(rows * shape.ItemInputs);
        var image = Values(rows * shape.ImageInputs);
        var pair = Values(rows * shape.PairInputs);
        var labels = Enumerable.Range(0, rows).Select(i => i % 7 == 0 ? 1f : 0f).ToArray();
        var weights = labels.Select(l => l > 0 ? 6f : 1f).ToArray();

        var a = Step(reference, shape, seed, rows, user, item, image, pair, labels, weights, null);
        var b = Step(other, shape, seed, rows, user, item, image, pair, labels, weights, a);
        return [.. a.Keys.Select(k => new Difference(k, Error(a[k], b[k])))];
    }

    private static Dictionary<string, float[]> Step(TensorBackend backend, NetworkShape shape, ulong seed, int rows,
        float[] user, float[] item, float[] image, float[] pair, float[] labels, float[] weights, Dictionary<string, float[]>? reference)
    {
        var network = new TwoTowerNetwork(backend, shape, rows, seed);
        Tensor Up(float[] values, int columns)
        {
            var t = backend.Allocate(rows, columns);
            backend.Upload(values, t);
            return t;
        }
        var input = new NetworkInput(Up(user, shape.UserInputs), Up(item, shape.ItemInputs), Up(image, shape.ImageInputs), Up(pair, shape.PairInputs));
        var y = Up(labels, 1);
        var w = Up(weights, 1);
        var gradient = backend.Allocate(rows, 1);
        var logits = network.Forward(input, training: true, step: 3);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal) { ["logits"] = backend.ToArray(logits) };
        result["loss"] = [backend.WeightedBinaryCrossEntropy(logits, y, w, gradient)];
        result["dlogits"] = backend.ToArray(gradient);
        network.Backward(gradient);
        foreach (var p in network.Parameters)
        {
            result["grad " + p.Name] = backend.ToArray(p.Gradient);
        }
        var step = new AdamWStep(3e-4f, 2e-4f, 1);
        foreach (var p in network.Parameters)
        {
            if (reference is not null)
            {
                backend.Upload(reference["grad " + p.Name], p.Gradient);
            }
            backend.AdamW(p.Value, p.Gradient, p.FirstMoment, p.SecondMoment, step);
            result["after step " + p.Name] = backend.ToArray(p.Value);
        }
        foreach (var (name, value) in network.Buffers)
        {
            result[name] = backend.ToArray(value);
        }
        result["inference logits"] = backend.ToArray(network.Forward(input, training: false, step: 0));
        return result;
    }

    private static double Error(float[] a, float[] b)
    {
        double scale = 0, worst = 0;
        for (var i = 0; i < a.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(a[i]));
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }
        return scale == 0 ? worst : worst / scale;
    }
}
