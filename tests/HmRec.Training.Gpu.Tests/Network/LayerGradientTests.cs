using HmRec.Training.Gpu.Network;
using static HmRec.Training.Gpu.Tests.Network.GradientCheck;

namespace HmRec.Training.Gpu.Tests.Network;

public sealed class LayerGradientTests
{
    private const int Rows = 16;

    private readonly CpuBackend backend = new();

    [Fact]
    public void Linear_Backward_MatchesFiniteDifferences()
    {
        var layer = new Linear(backend, "l", 7, 5, Rows, inputGradient: true, new Random(1));
        var x = Input(Rows, 7, 2);
        var r = GradientCheck.Random(Rows * 5, 3);
        double L() => Loss(backend, layer.Forward(x, true, 0), r);
        L();
        var dx = backend.ToArray(layer.Backward(Gradient(r, Rows, 5))!);
        var dw = backend.ToArray(layer.Weight.Gradient);
        var db = backend.ToArray(layer.Bias!.Gradient);
        Compare(backend, x, dx, L, "dx");
        Compare(backend, layer.Weight.Value, dw, L, "dW");
        Compare(backend, layer.Bias!.Value, db, L, "db");
    }

    [Fact]
    public void BatchNorm_Backward_MatchesFiniteDifferences()
    {
        var layer = new BatchNorm(backend, "bn", 6, Rows);
        backend.Upload(GradientCheck.Random(6, 4, 2), layer.Scale.Value);
        backend.Upload(GradientCheck.Random(6, 5), layer.Shift.Value);
        var x = Input(Rows, 6, 6, scale: 3);
        var r = GradientCheck.Random(Rows * 6, 7);
        double L() => Loss(backend, layer.Forward(x, true, 0), r);
        L();
        var dx = backend.ToArray(layer.Backward(Gradient(r, Rows, 6)));
        var dgamma = backend.ToArray(layer.Scale.Gradient);
        var dbeta = backend.ToArray(layer.Shift.Gradient);
        Compare(backend, x, dx, L, "dx");
        Compare(backend, layer.Scale.Value, dgamma, L, "dgamma");
        Compare(backend, layer.Shift.Value, dbeta, L, "dbeta");
    }

    [Fact]
    public void BatchNorm_Inference_UsesRunningStatistics()
    {
        var layer = new BatchNorm(backend, "bn", 3, Rows);
        var x = Input(Rows, 3, 8, scale: 4);
        for (var i = 0; i < 200; i++)
        {
            layer.Forward(x, true, i);
        }
        // After many steps on one batch the running mean is the batch mean, and inference output has ~zero mean.
        var y = backend.ToArray(layer.Forward(x, false, 0));
        for (var j = 0; j < 3; j++)
        {
            var mean = Enumerable.Range(0, Rows).Average(i => y[i * 3 + j]);
            Assert.True(Math.Abs(mean) < 1e-3, $"column {j}: mean {mean}");
        }
    }

    [Fact]
    public void ReluDropout_Backward_MatchesFiniteDifferencesAndDropsAboutP()
    {
        const int columns = 64;
        var layer = new ReluDropout(backend, columns, Rows, 0.3f, seed: 11, layer: 2);
        // Keep inputs away from the ReLU kink so ±h never crosses it.
        var values = GradientCheck.Random(Rows * columns, 9).Select(v => v + MathF.CopySign(0.1f, v)).ToArray();
        var x = backend.Allocate(Rows, columns);
        var r = GradientCheck.Random(Rows * columns, 10);
        var input = backend.Allocate(Rows, columns);
        backend.Upload(values, input);
        double L()
        {
            backend.Copy(input, x);
            return Loss(backend, layer.Forward(x, true, 5), r);
        }
        L();
        var y = backend.ToArray(x);
        var dx = backend.ToArray(layer.Backward(Gradient(r, Rows, columns)));
        Compare(backend, input, dx, L, "dx", maxElements: 200);

        var positive = values.Count(v => v > 0);
        var kept = y.Count(v => v != 0);
        var dropped = 1 - kept / (double)positive;
        Assert.InRange(dropped, 0.2, 0.4);
        Assert.All(y.Where(v => v != 0), v => Assert.True(v > 0));
        // The same stream gives the same mask; another step gives another.
        L();
        Assert.Equal(y, backend.ToArray(x));
        backend.Copy(input, x);
        layer.Forward(x, true, 6);
        Assert.NotEqual(y, backend.ToArray(x));
    }

    [Fact]
    public void WeightedBinaryCrossEntropy_GradientMatchesFiniteDifferences()
    {
        const int n = 12;
        var logits = Input(n, 1, 12, scale: 4);
        var labels = backend.Allocate(n, 1);
        backend.Upload(Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 1f : 0f).ToArray(), labels);
        var weights = backend.Allocate(n, 1);
        backend.Upload(Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 5f : 1f).ToArray(), weights);
        var gradient = backend.Allocate(n, 1);
        double L() => backend.WeightedBinaryCrossEntropy(logits, labels, weights, gradient);
        var loss = L();
        var analytic = backend.ToArray(gradient);
        Compare(backend, logits, analytic, L, "dz", tolerance: 5e-2);

        // Against the definition, in double.
        var z = backend.ToArray(logits);
        double expected = 0, total = 0;
        for (var i = 0; i < n; i++)
        {
            var p = 1 / (1 + Math.Exp(-z[i]));
            var y = i % 3 == 0 ? 1 : 0;
            var w = i % 3 == 0 ? 5 : 1;
            expected -= w * (y * Math.Log(p) + (1 - y) * Math.Log(1 - p));
            total += w;
        }
        Assert.Equal(expected / total, loss, 4);
    }

    [Fact]
    public void AdamW_OneStep_MatchesTheDefinition()
    {
        var p = backend.Allocate(1, 3);
        var g = backend.Allocate(1, 3);
        var m = backend.Allocate(1, 3);
        var v = backend.Allocate(1, 3);
        backend.Upload([1f, -2f, 0.5f], p);
        backend.Upload([0.1f, 0.2f, -0.3f], g);
        backend.Upload([0.01f, 0f, 0.02f], m);
        backend.Upload([0.001f, 0f, 0.002f], v);
        var step = new AdamWStep(1e-2f, 0.1f, 3);
        backend.AdamW(p, g, m, v, step);
        float[] p0 = [1f, -2f, 0.5f], g0 = [0.1f, 0.2f, -0.3f], m0 = [0.01f, 0f, 0.02f], v0 = [0.001f, 0f, 0.002f];
        var result = backend.ToArray(p);
        for (var i = 0; i < 3; i++)
        {
            var decayed = p0[i] * (1 - 1e-2 * 0.1);
            var m1 = 0.9 * m0[i] + 0.1 * g0[i];
            var v1 = 0.999 * v0[i] + 0.001 * g0[i] * g0[i];
            var expected = decayed - 1e-2 * (m1 / (1 - Math.Pow(0.9, 3))) / (Math.Sqrt(v1 / (1 - Math.Pow(0.999, 3))) + 1e-8);
            Assert.Equal(expected, result[i], 5);
        }
    }

    private Tensor Input(int rows, int columns, int seed, float scale = 1)
    {
        var t = backend.Allocate(rows, columns);
        backend.Upload(GradientCheck.Random(rows * columns, seed, scale), t);
        return t;
    }

    private Tensor Gradient(float[] values, int rows, int columns)
    {
        var t = backend.Allocate(rows, columns);
        backend.Upload(values, t);
        return t;
    }
}
