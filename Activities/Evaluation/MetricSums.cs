namespace HmRec.Activities.Evaluation;

/// <summary>Sums of the per-buyer metrics of one shard (indexed like <see cref="RankingMetrics.CutOffs"/>); they add up across shards.</summary>
public sealed record MetricSums(long Users, double Map12, double[] Precision, double[] Recall, double[] Ndcg)
{
    public static MetricSums Zero => new(0, 0, new double[RankingMetrics.CutOffs.Count], new double[RankingMetrics.CutOffs.Count], new double[RankingMetrics.CutOffs.Count]);

    public MetricSums Add(MetricSums other) => new(Users + other.Users, Map12 + other.Map12,
        Precision.Zip(other.Precision, (a, b) => a + b).ToArray(), Recall.Zip(other.Recall, (a, b) => a + b).ToArray(), Ndcg.Zip(other.Ndcg, (a, b) => a + b).ToArray());

    /// <summary>The means over the buyers.</summary>
    public MetricSet ToMetricSet()
    {
        var n = Math.Max(Users, 1);
        Dictionary<string, double> ByCut(double[] sums) => RankingMetrics.CutOffs.Select((k, i) => (k, i))
            .ToDictionary(x => x.k.ToString(CultureInfo.InvariantCulture), x => sums[x.i] / n);
        return new MetricSet(Users, Map12 / n, ByCut(Precision), ByCut(Recall), ByCut(Ndcg));
    }
}
