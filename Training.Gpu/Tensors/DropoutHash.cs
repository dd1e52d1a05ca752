using System.Runtime.Intrinsics;

namespace HmRec.Training.Gpu.Tensors;

/// <summary>
/// Counter-based random numbers for dropout: element i of a stream keeps its unit when
/// <see cref="Uniform"/>(stream, i) ≥ p. The same arithmetic runs in the CUDA kernel, so both backends
/// draw the same mask, and a stream depends only on (seed, layer, step), never on thread scheduling.
/// </summary>
public static class DropoutHash
{
    /// <summary>The stream of one dropout layer in one training step.</summary>
    public static ulong Stream(ulong seed, int layer, long step) => Mix(Mix(seed ^ ((ulong)layer << 48)) ^ (ulong)step);

    /// <summary>A uniform number in [0, 1) with 24 random bits.</summary>
    public static float Uniform(ulong stream, long index) => (Mix(stream + (ulong)index) >> 40) * (1.0f / 16777216.0f);

    /// <summary>The SplitMix64 finaliser.</summary>
    public static ulong Mix(ulong x)
    {
        x += Increment;
        x = (x ^ (x >> 30)) * Multiplier1;
        x = (x ^ (x >> 27)) * Multiplier2;
        return x ^ (x >> 31);
    }

    /// <summary><see cref="Mix(ulong)"/> of every lane: the same bits, four at a time.</summary>
    public static Vector256<ulong> Mix(Vector256<ulong> x)
    {
        x += Vector256.Create(Increment);
        x = (x ^ (x >> 30)) * Vector256.Create(Multiplier1);
        x = (x ^ (x >> 27)) * Vector256.Create(Multiplier2);
        return x ^ (x >> 31);
    }

    private const ulong Increment = 0x9E3779B97F4A7C15UL;
    private const ulong Multiplier1 = 0xBF58476D1CE4E5B9UL;
    private const ulong Multiplier2 = 0x94D049BB133111EBUL;
}
