namespace HmRec.Activities.Tests.Evaluation;

public sealed class BaselinesActivityTests : IDisposable
{
    private readonly TinyData data = new();

    public void Dispose() => data.Dispose();

    private List<long> List(string baseline, string customer)
    {
        using var c = DuckDb.Open();
        using var r = c.Query($"""
            SELECT a.article_id FROM read_parquet('{Path.Combine(data.RunDirectory, "models", baseline, "validation.parquet")}') p
            JOIN read_parquet('{data.Layout.Customers}') cu USING (customer_idx) JOIN read_parquet('{data.Layout.Articles}') a USING (article_idx)
            WHERE cu.customer_id = '{customer}' ORDER BY p.score DESC
            """);
        return [.. r.ReadAll().Get<long>("article_id").Values];
    }

    [Fact]
    public void Baselines_FromHistoryBeforeTheCutoff_HandChecked()
    {
        data.Buy("a", 1, 1).Buy("b", 1, 2).Buy("c", 1, 3).Buy("a", 2, 2).Buy("b", 2, 4).Buy("c", 3, 5) // last week: 1 x3, 2 x2, 3 x1
            .Buy("u", 5, 20) // u's own purchase, older than the last week
            .Buy("w", 6, 400).Buy("w", 4, 30).Buy("w", 6, 12).Buy("w", 8, 20).Buy("w", 4, 45) // w: 6 (day -12), 8 (-20), 4 (-30)
            .Buy("u", 9, -2).Buy("w", 9, -3).Buy("a", 7, -1).Buy("a", 7, -1).Buy("a", 7, -1); // validation week: not visible to any baseline
        data.Ingest();
        TinyData.RunWeek(data.RunDirectory, TinyData.Options, TinyData.Validation);
        var output = BaselinesActivity.Run(new WeekTask(data.RunDirectory, TinyData.Validation, TinyData.Options));
        Assert.False(output.Skipped);

        Assert.Equal([1L, 2, 3], List(BaselinesActivity.GlobalTop, "u"));
        Assert.Equal(5L, List(BaselinesActivity.RepurchaseThenPopular, "u")[0]);
        Assert.Equal([1L, 2, 3], List(BaselinesActivity.RepurchaseThenPopular, "u").Skip(1).Take(3));
        Assert.DoesNotContain(7L, List(BaselinesActivity.Popularity, "u"));
        Assert.Equal([1L, 2, 3], List(BaselinesActivity.AgeBucket, "u")); // everyone is 30: one bucket
        // The rule: every distinct item bought (400 days back counts too), latest first, then last week's best sellers.
        Assert.Equal([6L, 8, 4, 1, 2, 3], List(BaselinesActivity.RecentThenTop12, "w"));
        Assert.Equal([5L, 1, 2, 3], List(BaselinesActivity.RecentThenTop12, "u"));
        Assert.All(BaselinesActivity.All, b => Assert.InRange(List(b, "u").Count, 1, 12));
        Assert.True(BaselinesActivity.Run(new WeekTask(data.RunDirectory, TinyData.Validation, TinyData.Options)).Skipped);
    }
}
