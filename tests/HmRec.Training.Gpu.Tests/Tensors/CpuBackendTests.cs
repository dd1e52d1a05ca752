namespace HmRec.Training.Gpu.Tests.Tensors;

public sealed class CpuBackendTests
{
    [Theory]
    [InlineData(0.3f, 300, 130)] // parallel row blocks that start off an 8-element boundary, and tails
    [InlineData(0.5f, 7, 3)]     // fewer elements than one vector
    [InlineData(0f, 40, 9)]      // a plain ReLU
    public void ReluDropout_EveryElement_IsTheDropoutHashsDecision(float dropout, int rows, int columns)
    {
        using var backend = new CpuBackend();
        var random = new Random(9);
        var values = Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var x = backend.Allocate(rows, columns);
        var mask = backend.Allocate(rows, columns);
        backend.Upload(values, x);
        var stream = DropoutHash.Stream(7, 3, 11);

        backend.ReluDropout(x, mask, dropout, stream);

        var keep = 1f / (1 - dropout);
        var factors = backend.ToArray(mask);
        var output = backend.ToArray(x);
        for (var i = 0; i < values.Length; i++)
        {
            var expected = values[i] > 0 && (dropout == 0 || DropoutHash.Uniform(stream, i) >= dropout) ? keep : 0f;
            Assert.True(expected == factors[i] && values[i] * expected == output[i], $"element {i}: factor {factors[i]}, expected {expected}");
        }
        if (dropout > 0 && rows * columns > 1000)
        {
            // About the share asked for is dropped among the positive inputs.
            var positives = values.Count(v => v > 0);
            var dropped = values.Where((v, i) => v > 0 && factors[i] == 0).Count();
            Assert.InRange(dropped / (double)positives, dropout - 0.03, dropout + 0.03);
        }
    }
}
