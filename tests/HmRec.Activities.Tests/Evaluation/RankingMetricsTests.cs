namespace HmRec.Activities.Tests.Evaluation;

/// <summary>The metrics against cases computed by hand.</summary>
public sealed class RankingMetricsTests
{
    private static MetricSet One(int[] predicted, params int[] bought) =>
        RankingMetrics.Evaluate(new Dictionary<int, int[]> { [1] = predicted }, new Dictionary<int, HashSet<int>> { [1] = [.. bought] });

    [Fact]
    public void Map12_KaggleDefinition_HandComputed()
    {
        // Hits at ranks 1 and 3 of 2 bought items: (1/1 + 2/3) / 2.
        Assert.Equal((1.0 + 2.0 / 3) / 2, One([10, 20, 30], 10, 30).Map12, 12);
        // Hit at rank 2 of 3 bought: (1/2) / 3.
        Assert.Equal(0.5 / 3, One([5, 7, 9], 7, 8, 11).Map12, 12);
        // More than 12 bought: divided by 12, not by 20.
        var many = Enumerable.Range(100, 20).ToArray();
        Assert.Equal(1.0, One(many.Take(12).ToArray(), many).Map12, 12);
    }

    [Fact]
    public void Map12_FewerThan12Predictions_DuplicatesAndNothingBought()
    {
        Assert.Equal(1.0, One([4], 4).Map12, 12);
        // A repeated prediction counts once: hits at 1 only, the repeat at 2 is no hit; (1/1) / 2.
        Assert.Equal(0.5, One([4, 4, 9], 4, 6).Map12, 12);
        // Only the first 12 count.
        Assert.Equal(0.0, One([.. Enumerable.Range(1, 12), 99], 99).Map12, 12);
        // Users who bought nothing are not averaged in; users with no prediction count as 0.
        var set = RankingMetrics.Evaluate(
            new Dictionary<int, int[]> { [1] = [4], [2] = [5] },
            new Dictionary<int, HashSet<int>> { [1] = [4], [2] = [], [3] = [8] });
        Assert.Equal(2, set.Users);
        Assert.Equal(0.5, set.Map12, 12);
    }

    [Fact]
    public void PrecisionRecallNdcg_AtEachCutOff_HandComputed()
    {
        var m = One([10, 20, 30, 40], 20, 40, 50);
        Assert.Equal(0.0, m.Precision["1"]);
        Assert.Equal(1.0 / 3, m.Precision["3"], 12);
        Assert.Equal(2.0 / 5, m.Precision["5"], 12); // fewer predictions than K are not rewarded
        Assert.Equal(2.0 / 12, m.Precision["12"], 12);
        Assert.Equal(1.0 / 3, m.Recall["3"], 12);
        Assert.Equal(2.0 / 3, m.Recall["5"], 12);
        var dcg = 1 / Math.Log2(3) + 1 / Math.Log2(5);
        var ideal5 = 1 + 1 / Math.Log2(3) + 1 / Math.Log2(4);
        Assert.Equal(dcg / ideal5, m.Ndcg["5"], 12);
        Assert.Equal(0.0, m.Ndcg["1"]);
        Assert.Equal(1 / Math.Log2(3) / (1 + 1 / Math.Log2(3) + 1 / Math.Log2(4)), m.Ndcg["3"], 12); // one hit at 2, three possible
    }

    [Fact]
    public void Sum_OverShards_AddsUpToTheWholeEvaluation()
    {
        var random = new Random(3);
        var predictions = Enumerable.Range(0, 200).ToDictionary(u => u, _ => Enumerable.Range(0, 12).Select(_ => random.Next(30)).ToArray());
        var bought = Enumerable.Range(0, 200).ToDictionary(u => u, _ => Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(30)).ToHashSet());
        var whole = RankingMetrics.Evaluate(predictions, bought);
        var halves = Enumerable.Range(0, 2)
            .Select(k => RankingMetrics.Sum(predictions, bought.Where(b => b.Key % 2 == k).ToDictionary(b => b.Key, b => b.Value)))
            .Aggregate(MetricSums.Zero, (sum, s) => sum.Add(s)).ToMetricSet();
        Assert.Equal(whole.Users, halves.Users);
        Assert.Equal(whole.Map12, halves.Map12, 12);
        Assert.Equal(whole.Ndcg["12"], halves.Ndcg["12"], 12);
        Assert.Equal(whole.Recall["5"], halves.Recall["5"], 12);
    }

    [Fact]
    public void Rank_OrdersByScore_TiesByItem_KeepsTop12()
    {
        int[] users = [1, 1, 1, 2];
        int[] items = [30, 10, 20, 5];
        float[] scores = [0.5f, 0.9f, 0.5f, 0.1f];
        var ranked = RankingMetrics.Rank(users, items, scores);
        Assert.Equal([10, 20, 30], ranked[1]);
        Assert.Equal([5], ranked[2]);
        var many = RankingMetrics.Rank(Enumerable.Repeat(1, 20).ToArray(), Enumerable.Range(0, 20).ToArray(), new float[20]);
        Assert.Equal(Enumerable.Range(0, 12), many[1]);
    }
}
