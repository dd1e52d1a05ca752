using System.Globalization;
using System.Security.Cryptography;

namespace HmRec.Shared.Tests.Synthetic;

/// <summary>
/// The "hm" and "long-cycle" profiles, measured on generated rows: sales concentration and the days between a
/// customer's consecutive purchase days of the same article (repeat gaps).
/// </summary>
public sealed class RepurchaseProfileTests(RepurchaseProfileTests.Datasets data) : IClassFixture<RepurchaseProfileTests.Datasets>
{
    [Fact]
    public void Generate_HmProfile_PutsAboutOnePercentOfRowsOnTheTwelveBestSellers()
    {
        Assert.InRange(data.Hm.TopTwelveShare, 0.005, 0.02);
    }

    [Fact]
    public void Generate_HmProfile_RepurchasesBothWithinWeeksAndAfterMonths()
    {
        var hm = data.Hm;
        Assert.True(hm.Gaps.Length > 2_000, $"{hm.Gaps.Length} repeat gaps");
        Assert.True(hm.Share(g => g < 56) > 0.25, $"repeat gaps under 8 weeks {hm.Share(g => g < 56):P1}");
        Assert.True(hm.Share(g => g > 168) > 0.15, $"repeat gaps over 24 weeks {hm.Share(g => g > 168):P1}");
    }

    [Fact]
    public void Generate_HmProfile_RepurchasesPeakTheSameWeekAYearLater()
    {
        var hm = data.Hm;
        var year = hm.Share(g => g is >= 351 and <= 379);
        // The 4 weeks on either side, and what a flat spread of gaps over the data's 730 days would put in 29 days.
        var before = hm.Share(g => g is >= 322 and <= 350);
        var after = hm.Share(g => g is >= 380 and <= 408);
        Assert.True(year > 2 * Math.Max(before, after), $"gaps within 351-379 days {year:P2}, 322-350 {before:P2}, 380-408 {after:P2}");
        Assert.True(year > 29.0 / 730, $"gaps within 351-379 days {year:P2}");
    }

    [Fact]
    public void Generate_LongCycleProfile_MostRepurchasesComeAfterTwentyFourWeeks()
    {
        var lc = data.LongCycle;
        Assert.True(lc.Gaps.Length > 1_000, $"{lc.Gaps.Length} repeat gaps");
        Assert.True(lc.Share(g => g > 168) > 0.6, $"repeat gaps over 24 weeks {lc.Share(g => g > 168):P1}");
        Assert.True(lc.Gaps.Order().ElementAt(lc.Gaps.Length / 2) > 168, "median repeat gap over 24 weeks");
        Assert.True(lc.Share(g => g > 168) > data.Hm.Share(g => g > 168), "long-cycle has more long gaps than hm");
        Assert.InRange(lc.TopTwelveShare, 0.005, 0.02);
    }

    [Fact]
    public void Generate_LongCycleProfile_SameSeed_WritesIdenticalBytes()
    {
        // Customers' memories are written by parallel sessions: the bytes must not depend on scheduling.
        var options = new SyntheticOptions(3_000, 1_500, Seed: 3).WithProfile(SyntheticProfile.LongCycle);
        using var a = Generate(options);
        using var b = Generate(options);
        Assert.Equal(Hash(Path.Combine(a, HmSchema.TransactionsFile)), Hash(Path.Combine(b, HmSchema.TransactionsFile)));
    }

    /// <summary>The two profiles generated once at half the default customers (about 230k rows each).</summary>
    public sealed class Datasets
    {
        public Datasets()
        {
            var options = new SyntheticOptions(10_000, 6_000, Seed: 5);
            Hm = Measure(options.WithProfile("hm"));
            LongCycle = Measure(options.WithProfile("long-cycle"));
        }

        public Measured Hm { get; }

        public Measured LongCycle { get; }
    }

    /// <summary>The top-12 share of rows and every repeat gap in days.</summary>
    public sealed record Measured(double TopTwelveShare, int[] Gaps)
    {
        public double Share(Func<int, bool> predicate) => Gaps.Count(predicate) / (double)Gaps.Length;
    }

    private static Measured Measure(SyntheticOptions options)
    {
        using var directory = Generate(options);
        var rows = 0L;
        var perArticle = new Dictionary<string, int>();
        var days = new Dictionary<(string Customer, string Article), List<int>>();
        foreach (var line in File.ReadLines(Path.Combine(directory, HmSchema.TransactionsFile)).Skip(1))
        {
            // t_dat,customer_id,article_id,price,sales_channel_id
            var fields = line.Split(',');
            var day = DateOnly.ParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber;
            rows++;
            perArticle[fields[2]] = perArticle.GetValueOrDefault(fields[2]) + 1;
            if (!days.TryGetValue((fields[1], fields[2]), out var list))
            {
                days[(fields[1], fields[2])] = list = [];
            }
            list.Add(day);
        }
        var gaps = new List<int>();
        foreach (var list in days.Values.Where(l => l.Count > 1))
        {
            var distinct = list.Distinct().Order().ToArray();
            for (var i = 1; i < distinct.Length; i++)
            {
                gaps.Add(distinct[i] - distinct[i - 1]);
            }
        }
        var topTwelve = perArticle.Values.OrderDescending().Take(12).Sum() / (double)rows;
        return new Measured(topTwelve, [.. gaps]);
    }

    private static TempFolder Generate(SyntheticOptions options)
    {
        var directory = new TempFolder("profile");
        SyntheticDataGenerator.Generate(options, directory);
        return directory;
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
