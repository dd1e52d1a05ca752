namespace HmRec.Shared.Synthetic;

/// <summary>
/// The generated customers: demographics for customers.csv and the hidden behaviour the transactions
/// follow (how much and when they buy, taste by section and age, price level, repurchase habit,
/// preferred channel, and a slow drift of taste).
/// </summary>
internal sealed class CustomerPopulation
{
    /// <summary>Favourite sections per customer, before and after the drift day.</summary>
    public const int Favourites = 3;

    private static readonly double[] FavouriteWeights = [0.5, 0.3, 0.2];
    private readonly ulong seed;
    private readonly double dispersion;
    private readonly double loyalty;
    private readonly double repurchasePropensity;

    public CustomerPopulation(SyntheticOptions options, int days, Catalogue catalogue)
    {
        seed = options.Seed;
        dispersion = options.ActivityDispersion;
        loyalty = options.SectionLoyalty;
        repurchasePropensity = options.RepurchasePropensity;
        var n = options.Customers;
        Count = n;
        IdWords = new ulong[n * 4];
        Age = new byte[n];
        Rows = new int[n];
        StartDay = new short[n];
        EndDay = new short[n];
        DriftDay = new short[n];
        PriceLevel = new float[n];
        Repurchase = new float[n];
        Online = new float[n];
        Taste = new byte[n * Favourites * 2];

        var sectionWeight = new double[Taxonomy.Sections.Length];
        for (var a = 0; a < catalogue.ArticleCount; a++)
        {
            sectionWeight[catalogue.ProductSection[catalogue.ArticleProduct[a]]] += catalogue.Popularity[catalogue.ArticleProduct[a]] * catalogue.VariantWeight[a];
        }
        SectionsByGroup = Taxonomy.IndexGroups
            .Select(g => Enumerable.Range(0, Taxonomy.Sections.Length)
                .Where(s => Taxonomy.Indices.First(i => i.Code == Taxonomy.Sections[s].IndexCode).GroupNo == g.No && sectionWeight[s] > 0)
                .ToArray())
            .ToArray();
        SectionWeightsByGroup = SectionsByGroup.Select(list => list.Select(s => sectionWeight[s]).ToArray()).ToArray();

        var activity = new double[n];
        Parallel.For(0, n, c => activity[c] = Build(c, days));
        AllocateRows(activity, options.TransactionCount);
    }

    public int Count { get; }

    /// <summary>The 256-bit customer id as four words, hex-encoded most significant first.</summary>
    public ulong[] IdWords { get; }

    /// <summary>Age in years, 0 when unknown.</summary>
    public byte[] Age { get; }

    /// <summary>Transaction rows this customer will produce over the whole period.</summary>
    public int[] Rows { get; }

    public short[] StartDay { get; }

    public short[] EndDay { get; }

    public short[] DriftDay { get; }

    public float[] PriceLevel { get; }

    public float[] Repurchase { get; }

    public float[] Online { get; }

    /// <summary>Section indices: the first <see cref="Favourites"/> before the drift day, the next after.</summary>
    public byte[] Taste { get; }

    public int[][] SectionsByGroup { get; }

    public double[][] SectionWeightsByGroup { get; }

    /// <summary>A section for one pick: a favourite most of the time, otherwise one typical of the customer's age.</summary>
    public int PickSection(int customer, int day, ref Rng rng)
    {
        if (rng.Chance(loyalty))
        {
            var set = day < DriftDay[customer] ? 0 : Favourites;
            return Taste[(customer * Favourites * 2) + set + rng.Pick(FavouriteWeights)];
        }
        return SectionForAge(Age[customer], ref rng);
    }

    public void WriteCsv(Stream stream)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        Array.Sort(order, (x, y) =>
        {
            for (var w = 0; w < 4; w++)
            {
                var cmp = IdWords[(x * 4) + w].CompareTo(IdWords[(y * 4) + w]);
                if (cmp != 0)
                {
                    return cmp;
                }
            }
            return 0;
        });
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        var csv = new CsvWriter(buffer);
        buffer.Write(Encoding.UTF8.GetBytes(HmSchema.Header(HmSchema.CustomerColumns) + "\n"));
        Span<byte> hex = stackalloc byte[64];
        foreach (var c in order)
        {
            var rng = Rng.For(seed, 21, (ulong)c);
            var fn = rng.Chance(0.35);
            var active = fn ? rng.Chance(0.95) : rng.Chance(0.02);
            var u = rng.NextDouble();
            var club = u < 0.927 ? "ACTIVE" : u < 0.9951 ? "PRE-CREATE" : u < 0.9956 ? "LEFT CLUB" : null;
            var v = rng.NextDouble();
            var news = fn ? (v < 0.97 ? "Regularly" : v < 0.975 ? "Monthly" : "NONE") : (v < 0.985 ? "NONE" : null);
            var postal = Math.Max(10, Count / 4);
            var zip = (ulong)(postal * Math.Pow(rng.NextDouble(), 2.5));

            WriteHex(IdWords.AsSpan(c * 4, 4), hex);
            csv.Field(hex);
            csv.Field(fn ? "1.0" : null).Field(active ? "1.0" : null).Field(club).Field(news);
            if (Age[c] == 0)
            {
                csv.Field((string?)null);
            }
            else
            {
                csv.Field(Age[c]);
            }
            ReadOnlySpan<ulong> zipWords = [Rng.Mix(seed, 22, zip), Rng.Mix(seed, 23, zip), Rng.Mix(seed, 24, zip), Rng.Mix(seed, 25, zip)];
            WriteHex(zipWords, hex);
            csv.Field(hex);
            csv.EndRow();
            if (buffer.WrittenCount > (1 << 16) - 1024)
            {
                stream.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }
        stream.Write(buffer.WrittenSpan);
    }

    /// <summary>Writes four words as 64 lowercase hex digits.</summary>
    public static void WriteHex(ReadOnlySpan<ulong> words, Span<byte> destination)
    {
        const string digits = "0123456789abcdef";
        for (var w = 0; w < 4; w++)
        {
            var value = words[w];
            for (var i = 15; i >= 0; i--)
            {
                destination[(w * 16) + i] = (byte)digits[(int)(value & 0xF)];
                value >>= 4;
            }
        }
    }

    private int SectionForAge(int age, ref Rng rng)
    {
        var prior = Taxonomy.IndexGroupPreferenceByAge[Taxonomy.AgeBucket(age == 0 ? 35 : age)];
        for (var attempt = 0; ; attempt++)
        {
            var g = rng.Pick(prior);
            if (SectionsByGroup[g].Length > 0)
            {
                return SectionsByGroup[g][rng.Pick(SectionWeightsByGroup[g])];
            }
            if (attempt > 20)
            {
                return SectionsByGroup.First(s => s.Length > 0)[0];
            }
        }
    }

    /// <summary>Draws one customer's hidden traits; returns their relative activity (0 for never-buyers).</summary>
    private double Build(int c, int days)
    {
        var rng = Rng.For(seed, 20, (ulong)c);
        for (var w = 0; w < 4; w++)
        {
            IdWords[(c * 4) + w] = rng.NextUInt64();
        }
        int age;
        if (rng.Chance(0.012))
        {
            age = 0;
        }
        else if (rng.Chance(0.45))
        {
            age = (int)Math.Round(Math.Clamp(24 + (3.5 * rng.Normal()), 16, 35));
        }
        else
        {
            age = (int)Math.Round(Math.Clamp(48 + (11 * rng.Normal()), 18, 99));
        }
        Age[c] = (byte)age;

        // Most members exist from the start; the rest join over the period, and some lapse before its end.
        var start = rng.Chance(0.7) ? 0 : rng.Next(days - 7);
        var end = rng.Chance(0.5) ? start + 30 + rng.Next(Math.Max(1, days - start - 30)) : days - 1;
        StartDay[c] = (short)start;
        EndDay[c] = (short)Math.Min(end, days - 1);
        DriftDay[c] = (short)(start + rng.Next(Math.Max(1, EndDay[c] - start + 1)));

        var bucketPrice = Taxonomy.AgeBucket(age == 0 ? 35 : age) switch
        {
            0 => 0.85,
            1 => 1.0,
            2 => 1.1,
            _ => 1.05,
        };
        PriceLevel[c] = (float)(bucketPrice * Math.Exp(0.35 * rng.Normal()));
        var u = rng.NextDouble();
        // At the default propensity of 1 this is the original value, bit for bit.
        Repurchase[c] = repurchasePropensity == 1 ? (float)(0.03 + (0.3 * u * u)) : (float)Math.Min(0.9, (0.03 + (0.3 * u * u)) * repurchasePropensity);
        Online[c] = rng.Chance(0.7) ? 0.9f : 0.15f;

        var taste = Taste.AsSpan(c * Favourites * 2, Favourites * 2);
        for (var i = 0; i < Favourites; i++)
        {
            int s;
            var tries = 0;
            do
            {
                s = SectionForAge(age, ref rng);
            }
            while (taste[..i].Contains((byte)s) && ++tries < 10);
            taste[i] = (byte)s;
        }
        // The drift: one favourite gives way to a new section and the order of the others may change.
        taste[..Favourites].CopyTo(taste[Favourites..]);
        taste[Favourites + rng.Next(Favourites)] = (byte)SectionForAge(age, ref rng);
        if (rng.Chance(0.5))
        {
            (taste[Favourites], taste[Favourites + 1]) = (taste[Favourites + 1], taste[Favourites]);
        }

        // About 0.7% of customers never buy, as in the real data; activity is log-normal, by default (σ = 1.38) aimed at
        // the real data's median 9 and mean 23 rows per buyer.
        return rng.Chance(0.007) ? 0 : Math.Exp(dispersion * rng.Normal());
    }

    /// <summary>Shares out exactly <paramref name="total"/> rows in proportion to activity, at least one per buyer.</summary>
    private void AllocateRows(double[] activity, long total)
    {
        var sum = activity.Sum();
        long allocated = 0;
        for (var c = 0; c < Count; c++)
        {
            Rows[c] = activity[c] == 0 ? 0 : Math.Max(1, (int)Math.Floor(total * activity[c] / sum));
            allocated += Rows[c];
        }
        var rng = Rng.For(seed, 26);
        var guard = 0L;
        while (allocated != total && guard++ < 100L * Count)
        {
            var c = rng.Next(Count);
            if (allocated < total && Rows[c] > 0)
            {
                Rows[c]++;
                allocated++;
            }
            else if (allocated > total && Rows[c] > 1)
            {
                Rows[c]--;
                allocated--;
            }
        }
    }
}
