namespace HmRec.Activities.Evaluation;

/// <summary>
/// Ranking quality over a set of buyers: MAP@12 as the Kaggle competition defines it, and Precision,
/// Recall and NDCG at each cut-off in <see cref="RankingMetrics.CutOffs"/> (keys "1", "3", "5", "10", "12").
/// </summary>
public sealed record MetricSet(
    long Users,
    double Map12,
    IReadOnlyDictionary<string, double> Precision,
    IReadOnlyDictionary<string, double> Recall,
    IReadOnlyDictionary<string, double> Ndcg);
