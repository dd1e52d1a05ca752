namespace HmRec.Shared.Synthetic;

/// <summary>
/// xoshiro256** seeded through SplitMix64 from a key. Every random stream in the generator is keyed
/// by (seed, purpose, entity), so the output does not depend on thread scheduling.
/// </summary>
internal struct Rng
{
    private ulong s0, s1, s2, s3;

    public Rng(ulong key)
    {
        var x = key;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    /// <summary>A stream keyed by several values.</summary>
    public static Rng For(ulong seed, ulong purpose, ulong entity = 0, ulong sub = 0) => new(Mix(seed, purpose, entity, sub));

    public static ulong Mix(ulong a, ulong b, ulong c = 0, ulong d = 0)
    {
        var h = a * 0x9E3779B97F4A7C15UL;
        h = Avalanche(h ^ (b + 0x632BE59BD9B4E019UL));
        h = Avalanche(h ^ (c + 0x8CB92BA72F3D8DD7UL));
        return Avalanche(h ^ (d + 0xD6E8FEB86659FD93UL));
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int Next(int n) => (int)((NextUInt64() >> 32) * (ulong)n >> 32);

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box–Muller; one value per call keeps streams simple).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Number of failures before the first success, success probability <paramref name="p"/>.</summary>
    public int Geometric(double p) => (int)Math.Floor(Math.Log(1.0 - NextDouble()) / Math.Log(1.0 - p));

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }
        var u = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Avalanche(x);
    }

    private static ulong Avalanche(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
