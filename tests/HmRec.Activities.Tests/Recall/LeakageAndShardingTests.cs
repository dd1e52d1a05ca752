namespace HmRec.Activities.Tests.Recall;

/// <summary>Properties of the whole recall and feature stage on generated data: no leakage, shard independence, sampling.</summary>
public sealed class LeakageAndShardingTests(GeneratedRunFixture fixture) : IClassFixture<GeneratedRunFixture>
{
    private LabelWeek Week(int w) => LabelWeek.Of(fixture.Ingest.LastDay, w);

    private long Scalar(string sql)
    {
        using var c = DuckDb.Open();
        return c.Scalar<long>(sql);
    }

    private static string All(string run, Func<RunLayout, int, string> path, int shards) =>
        "read_parquet([" + string.Join(", ", Enumerable.Range(0, shards).Select(k => $"'{path(new RunLayout(run), k)}'")) + "])";

    /// <summary>Rows in one relation and not the other, either way (0 when they hold the same multiset).</summary>
    private long Difference(string a, string b) =>
        Scalar($"SELECT count(*) FROM ((SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b}) UNION ALL (SELECT * FROM {b} EXCEPT ALL SELECT * FROM {a}))");

    [Fact]
    public void LabelWeek_PerturbingTheWeekAndEverythingAfter_ChangesLabelsButNoCandidateOrFeature()
    {
        // Unsampled, so that every candidate's features can be compared (sampling follows the labels by design).
        var options = GeneratedRunFixture.Options with { Features = new FeatureOptions { NegativesPerPositive = null } };
        var week = Week(1);
        var clean = fixture.NewRun("leak-clean");
        var perturbed = fixture.NewRun("leak-perturbed");
        // From the label week's first day on, every purchase becomes another item at another price and channel;
        // who buys on which day stays, so the week's target users are the same.
        var tx = new RunLayout(perturbed).Transactions;
        using (var c = DuckDb.Open())
        {
            var articles = c.Scalar<int>($"SELECT max(article_idx) + 1 FROM read_parquet('{tx}')");
            c.Execute($"""
                COPY (SELECT day, week, customer_idx,
                             CASE WHEN day >= {week.CutoffDay} THEN ((article_idx * 7 + 3) % {articles})::INTEGER ELSE article_idx END AS article_idx,
                             CASE WHEN day >= {week.CutoffDay} THEN price * 3 ELSE price END AS price,
                             CASE WHEN day >= {week.CutoffDay} THEN (3 - channel)::TINYINT ELSE channel END AS channel
                      FROM read_parquet('{tx}')) TO '{tx}.new' (FORMAT parquet)
                """);
        }
        File.Move(tx + ".new", tx, overwrite: true);

        TinyData.RunWeek(clean, options, week);
        TinyData.RunWeek(perturbed, options, week);

        var shards = options.Shards!.Value;
        var labels = (string run) => $"read_parquet('{new RunLayout(run).Global(1, "labels")}')";
        Assert.True(Difference(labels(clean), labels(perturbed)) > 100, "the perturbation must change the labels");
        Assert.True(Scalar($"SELECT count(*) FROM {All(clean, (l, k) => l.Candidates(1, k), shards)}") > 1000);
        foreach (var s in RecallStrategies.All)
        {
            Assert.Equal(0, Difference(All(clean, (l, k) => l.Recall(1, s, k), shards), All(perturbed, (l, k) => l.Recall(1, s, k), shards)));
        }
        Assert.Equal(0, Difference(All(clean, (l, k) => l.Candidates(1, k), shards), All(perturbed, (l, k) => l.Candidates(1, k), shards)));
        var features = (string run) => $"(SELECT * EXCLUDE (label) FROM {All(run, (l, k) => l.Features(1, k), shards)})";
        Assert.Equal(0, Difference(features(clean), features(perturbed)));
    }

    [Fact]
    public void Shards_UnionOfShardedOutputs_EqualsTheUnshardedOutput_AndReruns_AreIdentical()
    {
        var one = fixture.NewRun("shards-1");
        var three = fixture.NewRun("shards-3");
        var week = Week(0);
        TinyData.RunWeek(one, GeneratedRunFixture.Options with { Shards = 1 }, week);
        TinyData.RunWeek(three, GeneratedRunFixture.Options with { Shards = 3 }, week);

        Assert.Equal(0, Difference(All(one, (l, k) => l.Candidates(0, k), 1), All(three, (l, k) => l.Candidates(0, k), 3)));
        Assert.Equal(0, Difference(All(one, (l, k) => l.Features(0, k), 1), All(three, (l, k) => l.Features(0, k), 3)));
        // The same run again gives the same rows: sums are order-independent, ties broken by id.
        var again = fixture.NewRun("shards-1-again");
        TinyData.RunWeek(again, GeneratedRunFixture.Options with { Shards = 1 }, week);
        foreach (var s in RecallStrategies.All)
        {
            Assert.Equal(0, Difference(All(one, (l, k) => l.Recall(0, s, k), 1), All(again, (l, k) => l.Recall(0, s, k), 1)));
        }
        Assert.Equal(0, Difference(All(one, (l, k) => l.Features(0, k), 1), All(again, (l, k) => l.Features(0, k), 1)));
        // And each shard holds only its own users.
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(0, Scalar($"SELECT count(*) FROM read_parquet('{new RunLayout(three).Features(0, k)}') WHERE customer_idx % 3 <> {k}"));
        }
    }

    [Fact]
    public void NegativeSampling_TrainingWeeksKeepPositivesAndAboutTheRatio_ValidationKeepsEverything()
    {
        var run = fixture.NewRun("sampling");
        var options = GeneratedRunFixture.Options;
        TinyData.RunWeek(run, options, Week(0));
        TinyData.RunWeek(run, options, Week(1));
        var layout = new RunLayout(run);
        var shards = options.Shards!.Value;

        // Validation: every candidate, positives exactly the candidates the users bought.
        Assert.Equal(Scalar($"SELECT count(*) FROM {All(run, (l, k) => l.Candidates(0, k), shards)}"), Scalar($"SELECT count(*) FROM {All(run, (l, k) => l.Features(0, k), shards)}"));

        // Training: all positives kept, no user without one, negatives near NegativesPerPositive (7) per positive.
        var candidates = All(run, (l, k) => l.Candidates(1, k), shards);
        var features = All(run, (l, k) => l.Features(1, k), shards);
        var positives = Scalar($"SELECT count(*) FROM {candidates} c SEMI JOIN read_parquet('{layout.Global(1, "labels")}') l USING (customer_idx, article_idx)");
        Assert.True(positives > 50, $"{positives} positives");
        Assert.Equal(positives, Scalar($"SELECT count(*) FROM {features} WHERE label = 1"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM (SELECT customer_idx FROM {features} GROUP BY ALL HAVING sum(label) = 0)"));
        var negatives = Scalar($"SELECT count(*) FROM {features} WHERE label = 0");
        var expected = Scalar($"""
            SELECT sum(least({options.Features.NegativesPerPositive!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} * p, n - p))::BIGINT FROM (
              SELECT customer_idx, count(*) AS n, count(l.customer_idx) AS p FROM {candidates} c
              LEFT JOIN read_parquet('{layout.Global(1, "labels")}') l USING (customer_idx, article_idx) GROUP BY ALL HAVING count(l.customer_idx) > 0)
            """);
        Assert.InRange(negatives, expected * 0.8, expected * 1.2);
    }
}
