namespace HmRec.Training.Gpu.Tests.Network;

/// <summary>
/// Central finite differences of a scalar loss L = Σ output ⊙ R (R fixed and random) against the backward
/// pass, in float32: each checked element is perturbed by ±h and the loss recomputed with the same dropout
/// stream. Elements are compared with a tolerance relative to the larger of the two gradients.
/// </summary>
internal static class GradientCheck
{
    public const float Step = 1e-2f;

    public static float[] Random(int length, int seed, float scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
    }

    public static double Loss(TensorBackend backend, Tensor output, float[] weights)
    {
        var values = backend.ToArray(output);
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += (double)values[i] * weights[i];
        }
        return sum;
    }

    /// <summary>Compares <paramref name="analytic"/> with finite differences of <paramref name="loss"/> over <paramref name="tensor"/>'s elements.</summary>
    public static void Compare(TensorBackend backend, Tensor tensor, float[] analytic, Func<double> loss, string what, double tolerance = 2e-2, int maxElements = 40)
    {
        var values = backend.ToArray(tensor);
        Assert.Equal(values.Length, analytic.Length);
        var stride = Math.Max(1, values.Length / maxElements);
        var checkedElements = 0;
        for (var i = 0; i < values.Length; i += stride)
        {
            var original = values[i];
            values[i] = original + Step;
            backend.Upload(values, tensor);
            var plus = loss();
            values[i] = original - Step;
            backend.Upload(values, tensor);
            var minus = loss();
            values[i] = original;
            backend.Upload(values, tensor);
            var numeric = (plus - minus) / (2 * Step);
            var scale = Math.Max(1e-2, Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])));
            Assert.True(Math.Abs(numeric - analytic[i]) <= tolerance * scale,
                $"{what}[{i}]: backward {analytic[i]:G6}, finite difference {numeric:G6}");
            checkedElements++;
        }
        Assert.True(checkedElements > 0);
    }

    /// <summary>
    /// The derivative along the gradient's own direction u = g/|g|: (L(θ + εu) − L(θ − εu)) / 2ε must equal |g|.
    /// For a whole network every element is checked at once, with the largest signal there is and a step
    /// of norm ε whatever the tensor's size, so few of the many ReLU kinks are crossed (a per-element or a
    /// ±1-direction step of 1e-2 crosses enough of them, in a batch-normalised net of 20 rows, to be off by
    /// several percent).
    /// </summary>
    public static void CompareAlongGradient(TensorBackend backend, Tensor tensor, float[] analytic, Func<double> loss, string what, double tolerance = 3e-2, float epsilon = 1e-3f)
    {
        var values = backend.ToArray(tensor);
        var norm = Math.Sqrt(analytic.Sum(g => (double)g * g));
        // Every parameter must reach the loss (a bias that a batch norm cancels would have a zero gradient).
        Assert.True(norm > 1e-6, $"{what}: zero gradient, the parameter does not reach the loss");
        var direction = analytic.Select(g => (float)(g / norm)).ToArray();
        double At(float sign)
        {
            backend.Upload(values.Select((v, i) => v + sign * epsilon * direction[i]).ToArray(), tensor);
            return loss();
        }
        var numeric = (At(1) - At(-1)) / (2 * epsilon);
        backend.Upload(values, tensor);
        Assert.True(Math.Abs(numeric - norm) <= tolerance * norm, $"{what}: |g| = {norm:G6}, finite difference along g {numeric:G6}");
    }
}
