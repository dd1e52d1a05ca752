namespace HmRec.Activities.Tests.Evaluation;

public sealed class EnsembleActivityTests : IDisposable
{
    private readonly TempFolder run = new("ensemble");

    public void Dispose() => run.Dispose();

    [Fact]
    public void Simplex_Step02_FourModels_Gives56WeightVectorsSummingToOne()
    {
        var grid = EnsembleActivity.Simplex(4, 0.2).ToList();
        Assert.Equal(56, grid.Count);
        Assert.All(grid, w => Assert.Equal(1.0, w.Sum(), 9));
        Assert.Equal(grid.Count, grid.Select(w => string.Join(",", w)).Distinct().Count());
    }

    [Fact]
    public void Weighted_FavoursTheRankerThatFindsThePurchases_AndScoresEveryUserOutOfFold()
    {
        // 400 users with 10 candidates each; item 0 is bought. "good" scores it highest, "bad" lowest.
        var layout = new RunLayout(run);
        Directory.CreateDirectory(Path.GetDirectoryName(layout.Global(0, "labels"))!);
        Directory.CreateDirectory(Path.Combine(run, "models", "good"));
        Directory.CreateDirectory(Path.Combine(run, "models", "bad"));
        using (var c = DuckDb.Open())
        {
            c.Execute($"COPY (SELECT range::INTEGER AS customer_idx, 0 AS article_idx FROM range(400)) TO '{layout.Global(0, "labels")}' (FORMAT parquet)");
            c.Execute($"""
                COPY (SELECT u.range::INTEGER AS customer_idx, i.range::INTEGER AS article_idx, (10 - i.range)::FLOAT AS score FROM range(400) u, range(10) i)
                TO '{run}/models/good/validation.parquet' (FORMAT parquet)
                """);
            c.Execute($"""
                COPY (SELECT u.range::INTEGER AS customer_idx, i.range::INTEGER AS article_idx, i.range::FLOAT AS score FROM range(400) u, range(10) i)
                TO '{run}/models/bad/validation.parquet' (FORMAT parquet)
                """);
        }
        var summary = EnsembleActivity.Run(new EvaluationTask(run, new PipelineOptions { Shards = 1 }, ["good", "bad", "missing"]));

        Assert.Equal(["good", "bad"], summary.Models);
        Assert.Equal([1.0, 0.0], summary.WeightsFold0);
        Assert.Equal([1.0, 0.0], summary.WeightsFold1);
        using var c2 = DuckDb.Open();
        // Every user is scored, and item 0 is each user's top item in the weighted ensemble.
        Assert.Equal(400L, c2.Scalar<long>($"SELECT count(DISTINCT customer_idx) FROM read_parquet('{run}/models/ensemble_weighted/validation.parquet')"));
        Assert.Equal(0L, c2.Scalar<long>($"""
            SELECT count(*) FROM (SELECT customer_idx, arg_max(article_idx, score) AS top FROM read_parquet('{run}/models/ensemble_weighted/validation.parquet') GROUP BY ALL) WHERE top <> 0
            """));
        // The average of a perfect and a reversed ranker ties every item.
        Assert.Equal(1L, c2.Scalar<long>($"SELECT count(DISTINCT score) FROM read_parquet('{run}/models/ensemble_average/validation.parquet')"));
    }
}
