using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace HmRec.Shared.Tests.Synthetic;

public sealed partial class SyntheticDataGeneratorTests(GeneratedDatasetFixture data) : IClassFixture<GeneratedDatasetFixture>
{
    private static readonly SyntheticOptions Small = new(600, 300, Seed: 7);

    [Fact]
    public void Generate_SameSeed_WritesIdenticalBytes()
    {
        using var a = TempDir();
        using var b = TempDir();
        SyntheticDataGenerator.Generate(Small, a);
        SyntheticDataGenerator.Generate(Small, b);
        foreach (var file in new[] { HmSchema.ArticlesFile, HmSchema.CustomersFile, HmSchema.TransactionsFile })
        {
            Assert.Equal(Hash(Path.Combine(a, file)), Hash(Path.Combine(b, file)));
        }
    }

    [Fact]
    public void Generate_DefaultKnobs_WritesTheRecordedBytes()
    {
        // Recorded on linux-x64 before the shape knobs existed: benchmark figures rely on the default output staying as it is.
        using var directory = TempDir();
        SyntheticDataGenerator.Generate(Small, directory);
        Assert.Equal("EF52D962BCCB7E8F21ECA2AA9AC8D5A1DFB71589FD45C40570C2B763E6B917D5", Hash(Path.Combine(directory, HmSchema.ArticlesFile)));
        Assert.Equal("74D752306E76D03C31355C391C372951EC7F9780BFD68831504B9D4084665C6C", Hash(Path.Combine(directory, HmSchema.CustomersFile)));
        Assert.Equal("F22E63D63D761D86199E2AA4D086C374C084A5470F67327F49B77CE712F4A5DE", Hash(Path.Combine(directory, HmSchema.TransactionsFile)));
    }

    [Fact]
    public void Generate_OtherSeed_WritesOtherData()
    {
        using var a = TempDir();
        using var b = TempDir();
        SyntheticDataGenerator.Generate(Small, a);
        SyntheticDataGenerator.Generate(Small with { Seed = 8 }, b);
        Assert.NotEqual(Hash(Path.Combine(a, HmSchema.TransactionsFile)), Hash(Path.Combine(b, HmSchema.TransactionsFile)));
    }

    [Fact]
    public void Generate_Sizes_AreExact()
    {
        Assert.Equal(SyntheticOptions.Default.TransactionCount, data.Statistics.Transactions);
        Assert.Equal(data.Summary.Transactions, data.Statistics.Transactions);
        Assert.Equal(20_000, data.Statistics.Customers);
        Assert.Equal(6_000, data.Statistics.Articles);
        Assert.Equal(new DateOnly(2018, 9, 20), data.Statistics.FirstDay);
        Assert.Equal(new DateOnly(2020, 9, 22), data.Statistics.LastDay);
    }

    [Fact]
    public void Generate_Headers_MatchTheRealFiles()
    {
        Assert.Equal(HmSchema.Header(HmSchema.TransactionColumns), File.ReadLines(Path.Combine(data.Directory, HmSchema.TransactionsFile)).First());
        Assert.Equal(HmSchema.Header(HmSchema.CustomerColumns), File.ReadLines(Path.Combine(data.Directory, HmSchema.CustomersFile)).First());
        Assert.Equal(HmSchema.Header(HmSchema.ArticleColumns), File.ReadLines(Path.Combine(data.Directory, HmSchema.ArticlesFile)).First());
        // The real headers, written out, so a change to the shared schema cannot pass unnoticed.
        Assert.Equal("t_dat,customer_id,article_id,price,sales_channel_id", HmSchema.Header(HmSchema.TransactionColumns));
        Assert.Equal("customer_id,FN,Active,club_member_status,fashion_news_frequency,age,postal_code", HmSchema.Header(HmSchema.CustomerColumns));
    }

    [Fact]
    public void Generate_TransactionRows_HaveTheRealByteFormat()
    {
        var pattern = TransactionLine();
        var lines = File.ReadLines(Path.Combine(data.Directory, HmSchema.TransactionsFile)).Skip(1).Take(50_000).ToList();
        Assert.All(lines, l => Assert.Matches(pattern, l));
        Assert.Contains(lines, l => l.EndsWith(",1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(",2", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains('\r', StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_CustomerRows_HaveTheRealByteFormat()
    {
        var pattern = CustomerLine();
        var lines = File.ReadLines(Path.Combine(data.Directory, HmSchema.CustomersFile)).Skip(1).ToList();
        Assert.All(lines, l => Assert.Matches(pattern, l));
        Assert.Equal(lines.Count, lines.Select(l => l[..64]).Distinct().Count());
        Assert.Contains(lines, l => l.Contains(",,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",PRE-CREATE,", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_ArticleRows_HaveTwentyFiveFieldsAndQuotedCommas()
    {
        using var c = DuckDb.Open();
        var path = Path.Combine(data.Directory, HmSchema.ArticlesFile);
        Assert.Equal(25L, c.Scalar<long>($"SELECT count(*) FROM (DESCRIBE SELECT * FROM read_csv('{path}', header = true, all_varchar = true))"));
        Assert.Equal(0L, c.Scalar<long>($"SELECT count(*) FROM read_csv('{path}', header = true, all_varchar = true) WHERE NOT regexp_full_match(article_id, '[0-9]{{10}}') OR article_id[2:7] <> product_code"));
        Assert.True(c.Scalar<long>($"SELECT count(*) FROM read_csv('{path}', header = true, all_varchar = true) WHERE section_name LIKE '%,%' OR detail_desc LIKE '%,%'") > 0);
        Assert.Contains(File.ReadLines(path), l => l.Contains("\"Womens Nightwear, Socks & Tigh\"", StringComparison.Ordinal) || l.Contains("\"Kids Accessories, Swimwear & D\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_CalibratedStatistics_AreWithinTolerance()
    {
        var s = data.Statistics;
        Assert.InRange(s.LastWeekBuyerShare, 0.035, 0.065);
        Assert.InRange(s.LastWeekMedianDistinctArticles, 1.5, 3.0);
        Assert.InRange(s.MedianRowsPerBuyer, 7, 11);
        Assert.InRange(s.DuplicateRowShare, 0.07, 0.12);
        Assert.InRange(s.NeverBuyShare, 0.004, 0.011);
        Assert.InRange(s.ArticlesPerProductCode, 2.13, 2.33);
        Assert.InRange(s.RepeatPurchaseShare, 0.05, 0.40);
    }

    [Fact]
    public void Generate_Structure_IsLearnable()
    {
        using var c = DuckDb.Open();
        c.Execute($"""
            CREATE TABLE t AS SELECT * FROM read_csv('{Path.Combine(data.Directory, HmSchema.TransactionsFile)}', header = true, auto_detect = true);
            CREATE TABLE a AS SELECT * FROM read_csv('{Path.Combine(data.Directory, HmSchema.ArticlesFile)}', header = true, auto_detect = true);
            CREATE TABLE cu AS SELECT * FROM read_csv('{Path.Combine(data.Directory, HmSchema.CustomersFile)}', header = true, auto_detect = true);
            CREATE TABLE ta AS SELECT t.*, a.product_code, a.product_group_name, a.product_type_name, a.index_group_name, a.index_code, cu.age
            FROM t JOIN a USING (article_id) JOIN cu USING (customer_id);
            """);

        // Colour variants: customers buy several colours of one product code.
        Assert.True(c.Scalar<long>("SELECT count(*) FROM (SELECT product_code FROM ta GROUP BY product_code HAVING count(DISTINCT article_id) > 1)") > 500);

        // Seasonality: swimwear sells far more in June-August than in December-February.
        var summer = c.Scalar<long>("SELECT count(*) FROM ta WHERE product_group_name = 'Swimwear' AND month(t_dat) IN (6, 7, 8)");
        var winter = c.Scalar<long>("SELECT count(*) FROM ta WHERE product_group_name = 'Swimwear' AND month(t_dat) IN (12, 1, 2)");
        Assert.True(summer > 2 * winter, $"swimwear summer {summer} vs winter {winter}");

        // Age-dependent taste: Divided is a young customers' index.
        var youngDivided = c.Scalar<double>("SELECT avg((index_group_name = 'Divided')::INTEGER) FROM ta WHERE age < 26");
        var oldDivided = c.Scalar<double>("SELECT avg((index_group_name = 'Divided')::INTEGER) FROM ta WHERE age > 60");
        Assert.True(youngDivided > 3 * oldDivided, $"Divided share young {youngDivided:P1} vs old {oldDivided:P1}");

        // Launch, rise and decay: the typical article sells most within 10 weeks of its first sale (a few basics sell for years).
        var early = c.Scalar<double>("""
            SELECT median(share) FROM (
              SELECT article_id, avg((t_dat < first + 70)::INTEGER) AS share FROM ta
              JOIN (SELECT article_id, min(t_dat) AS first FROM ta GROUP BY article_id HAVING min(t_dat) > DATE '2019-03-01' AND min(t_dat) < DATE '2020-01-01' AND count(*) >= 20) f USING (article_id)
              GROUP BY article_id)
            """);
        Assert.True(early > 0.5, $"median share of an article's sales in its first 10 weeks {early:P1}");

        // Outfits: within one basket, an upper-body garment makes a lower-body one of the same index more likely.
        c.Execute("""
            CREATE TABLE baskets AS SELECT customer_id, t_dat, index_code,
              max((product_group_name = 'Garment Upper body')::INTEGER) AS up, max((product_group_name = 'Garment Lower body')::INTEGER) AS low
            FROM ta GROUP BY customer_id, t_dat, index_code HAVING count(DISTINCT article_id) >= 2
            """);
        var lift = c.Scalar<double>("SELECT (avg(low) FILTER (WHERE up = 1)) / avg(low) FROM baskets");
        Assert.True(lift > 1.1, $"lift of lower-body given upper-body in a basket {lift:F2}");

        // Price affinity: a customer's price level in the first year predicts the second.
        var correlation = c.Scalar<double>("""
            WITH rel AS (SELECT customer_id, t_dat, price / avg(price) OVER (PARTITION BY product_type_name) AS r FROM ta),
                 halves AS (SELECT customer_id, avg(r) FILTER (WHERE t_dat < DATE '2019-09-20') AS h1, avg(r) FILTER (WHERE t_dat >= DATE '2019-09-20') AS h2
                            FROM rel GROUP BY customer_id HAVING count(*) FILTER (WHERE t_dat < DATE '2019-09-20') >= 5 AND count(*) FILTER (WHERE t_dat >= DATE '2019-09-20') >= 5)
            SELECT corr(h1, h2) FROM halves
            """);
        Assert.True(correlation > 0.3, $"price level correlation between years {correlation:F2}");

        // Repeat purchases of the same article on another day.
        Assert.True(c.Scalar<long>("SELECT count(*) FROM (SELECT customer_id, article_id FROM t GROUP BY ALL HAVING count(DISTINCT t_dat) > 1)") > 1000);
    }

    [Fact]
    public void Generate_TasteDrifts_SlowlyOverTime()
    {
        using var c = DuckDb.Open();
        // Similarity of a customer's section mix between two adjacent quarters exceeds that between quarters two years apart.
        var similarity = c.Scalar<double>($"""
            WITH ta AS (SELECT t.customer_id, t.t_dat, a.section_no FROM read_csv('{Path.Combine(data.Directory, HmSchema.TransactionsFile)}', header = true) t
                        JOIN read_csv('{Path.Combine(data.Directory, HmSchema.ArticlesFile)}', header = true) a USING (article_id)),
            p AS (SELECT customer_id, CASE WHEN t_dat < DATE '2019-03-20' THEN 1 WHEN t_dat < DATE '2019-09-20' THEN 2 WHEN t_dat >= DATE '2020-03-20' THEN 4 ELSE 3 END AS q, section_no, count(*) AS n FROM ta GROUP BY ALL),
            pairs AS (
              SELECT x.customer_id, x.q AS q1, y.q AS q2, sum(least(x.n / tx.total, y.n / ty.total)) AS overlap
              FROM p x JOIN p y ON x.customer_id = y.customer_id AND x.section_no = y.section_no AND x.q < y.q
              JOIN (SELECT customer_id, q, sum(n) AS total FROM p GROUP BY ALL) tx ON tx.customer_id = x.customer_id AND tx.q = x.q
              JOIN (SELECT customer_id, q, sum(n) AS total FROM p GROUP BY ALL) ty ON ty.customer_id = y.customer_id AND ty.q = y.q
              GROUP BY ALL)
            SELECT (SELECT avg(overlap) FROM pairs WHERE q1 = 1 AND q2 = 2) - (SELECT avg(overlap) FROM pairs WHERE q1 = 1 AND q2 = 4)
            """);
        Assert.True(similarity > 0.01, $"adjacent-quarter overlap minus two-years-apart overlap: {similarity:F3}");
    }

    [Fact]
    public void Validate_BadSizes_NameTheOption()
    {
        Assert.Contains("--customers", Assert.Throws<ArgumentException>(() => new SyntheticOptions(5, 300).Validate()).Message);
        Assert.Contains("--articles", Assert.Throws<ArgumentException>(() => new SyntheticOptions(500, 3).Validate()).Message);
        Assert.Contains("--transactions", Assert.Throws<ArgumentException>(() => new SyntheticOptions(500, 300, 10).Validate()).Message);
    }

    [Fact]
    public void FullPreset_HasTheRealSizes()
    {
        Assert.Equal(1_371_980, SyntheticOptions.Full.Customers);
        Assert.Equal(105_542, SyntheticOptions.Full.Articles);
        Assert.Equal(31_788_324, SyntheticOptions.Full.TransactionCount);
        Assert.InRange(SyntheticOptions.Full.ProductCodes, 46_000, 48_000);
    }

    private static TempFolder TempDir() => new("gen");

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2},[0-9a-f]{64},\d{10},0\.\d+(E-\d+)?,[12]$")]
    private static partial Regex TransactionLine();

    [GeneratedRegex(@"^[0-9a-f]{64},(1\.0)?,(1\.0)?,(ACTIVE|PRE-CREATE|LEFT CLUB)?,(NONE|Regularly|Monthly)?,(\d{2})?,[0-9a-f]{64}$")]
    private static partial Regex CustomerLine();
}
