namespace HmRec.Activities.Evaluation;

/// <summary>
/// The evaluation metrics over ranked predictions. MAP@12 follows the competition: for each customer who
/// bought something, the average precision of the first 12 predictions, sum of precision@k at each k that
/// holds a bought item, divided by min(items bought, 12); a prediction repeated later in the list counts
/// once; customers with no prediction score 0; the mean is over the buyers. Precision@K divides the hits
/// by K (fewer than K predictions are not rewarded), Recall@K by the items bought, and NDCG@K uses binary
/// relevance with the ideal ranking of min(items bought, K) hits.
/// </summary>
public static class RankingMetrics
{
    public static readonly IReadOnlyList<int> CutOffs = [1, 3, 5, 10, 12];

    /// <summary>Metrics over every buyer in <paramref name="bought"/>; <paramref name="predictions"/> are best first.</summary>
    public static MetricSet Evaluate(IReadOnlyDictionary<int, int[]> predictions, IReadOnlyDictionary<int, HashSet<int>> bought) =>
        Sum(predictions, bought).ToMetricSet();

    /// <summary>The per-buyer sums behind <see cref="Evaluate"/>, so that shards can be evaluated apart and added up.</summary>
    public static MetricSums Sum(IReadOnlyDictionary<int, int[]> predictions, IReadOnlyDictionary<int, HashSet<int>> bought)
    {
        var buyers = bought.Where(b => b.Value.Count > 0).ToList();
        double map = 0;
        var precision = new double[CutOffs.Count];
        var recall = new double[CutOffs.Count];
        var ndcg = new double[CutOffs.Count];
        var seen = new HashSet<int>();
        foreach (var (user, items) in buyers)
        {
            var ranked = predictions.TryGetValue(user, out var p) ? p : [];
            seen.Clear();
            double hits = 0, ap = 0, dcg = 0;
            var cut = 0;
            for (var k = 1; k <= 12; k++)
            {
                if (k <= ranked.Length && seen.Add(ranked[k - 1]) && items.Contains(ranked[k - 1]))
                {
                    hits++;
                    ap += hits / k;
                    dcg += 1 / Math.Log2(k + 1);
                }
                if (cut < CutOffs.Count && CutOffs[cut] == k)
                {
                    precision[cut] += hits / k;
                    recall[cut] += hits / items.Count;
                    ndcg[cut] += dcg / IdealDcg(Math.Min(items.Count, k));
                    cut++;
                }
            }
            map += ap / Math.Min(items.Count, 12);
        }
        return new MetricSums(buyers.Count, map, precision, recall, ndcg);
    }

    private static double IdealDcg(int relevant)
    {
        double sum = 0;
        for (var i = 1; i <= relevant; i++)
        {
            sum += 1 / Math.Log2(i + 1);
        }
        return sum;
    }

    /// <summary>Each user's items ordered by score, highest first, equal scores by item id: the order every model's predictions use.</summary>
    public static Dictionary<int, int[]> Rank(ReadOnlySpan<int> users, ReadOnlySpan<int> items, ReadOnlySpan<float> scores, int top = 12)
    {
        var byUser = new Dictionary<int, List<(int Item, float Score)>>();
        for (var i = 0; i < users.Length; i++)
        {
            if (!byUser.TryGetValue(users[i], out var list))
            {
                byUser[users[i]] = list = [];
            }
            list.Add((items[i], scores[i]));
        }
        return byUser.ToDictionary(kv => kv.Key, kv => kv.Value
            .OrderByDescending(x => x.Score).ThenBy(x => x.Item).Take(top).Select(x => x.Item).ToArray());
    }
}
