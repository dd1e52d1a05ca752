namespace HmRec.Activities.Evaluation;

/// <summary>
/// The reduce step of the evaluation: adds up every model's per-shard metric sums (from
/// <see cref="EvaluateShardActivity"/>) and writes eval/metrics.json and eval/comparison.csv, ranked by
/// MAP@12 over all validation buyers, with the candidates' recall (the ceiling of any ranker).
/// </summary>
public static class EvaluationActivity
{
    public const string Name = "Evaluate";

    /// <summary>The activity: it reads the models' scores, the candidates, the global tables and its own earlier output.</summary>
    public static readonly ActivityDefinition<EvaluationReduceTask, EvaluationReport> Definition = new(Name, (_, t) => t.RunDirectory,
        _ => ["models/**", "candidates/**", "recall/week=*/global/**", "eval/**"], ActivityDefinition<EvaluationReduceTask, EvaluationReport>.OnThreadPool(Run));

    public static EvaluationReport Run(EvaluationReduceTask task)
    {
        var layout = new RunLayout(task.RunDirectory);
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        var labels = $"read_parquet({Quote(layout.Global(0, "labels"))})";
        var candidates = Quote(layout.WeekCandidates(0));
        var buyers = session.Scalar<long>($"SELECT count(DISTINCT customer_idx) FROM {labels}");
        var withCandidates = session.Scalar<long>($"SELECT count(DISTINCT c.customer_idx) FROM read_parquet({candidates}) c SEMI JOIN {labels} l ON l.customer_idx = c.customer_idx");
        var hits = session.Scalar<long>($"SELECT count(*) FROM read_parquet({candidates}) c SEMI JOIN {labels} l USING (customer_idx, article_idx)");
        var purchases = session.Scalar<long>($"SELECT count(*) FROM {labels}");

        // Reduce: the shards' sums, added in model then shard order so the result is the same on every run.
        var models = task.Shards.Where(s => s.Present).GroupBy(s => s.Model)
            .Select(g =>
            {
                var shards = g.OrderBy(s => s.Shard).ToList();
                var candidateUsers = shards.Aggregate(MetricSums.Zero, (sum, s) => sum.Add(s.CandidateUsers)).ToMetricSet();
                var all = shards.Aggregate(MetricSums.Zero, (sum, s) => sum.Add(s.AllBuyers)).ToMetricSet();
                var kind = g.Key.StartsWith("baseline_", StringComparison.Ordinal) ? "baseline" : g.Key.StartsWith("ensemble_", StringComparison.Ordinal) ? "ensemble" : g.Key == Training.TwoTower.TwoTowerActivities.Model ? "network" : "ranker";
                return new ModelEvaluation(g.Key, kind, candidateUsers, all);
            })
            .OrderByDescending(m => m.AllBuyers.Map12).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        var report = new EvaluationReport(buyers, withCandidates, purchases == 0 ? 0 : (double)hits / purchases, models);

        JsonFile.Write(layout.Metrics, report);
        AtomicFile.WriteAllText(Path.Combine(layout.EvalDirectory, "comparison.csv"), Comparison(models));
        return report;
    }

    private static string Comparison(IReadOnlyList<ModelEvaluation> models)
    {
        var cuts = RankingMetrics.CutOffs.Select(k => k.ToString(CultureInfo.InvariantCulture)).ToList();
        var csv = new StringBuilder("rank,model,kind,map@12,map@12_candidate_users,"
            + string.Join(",", cuts.Select(k => $"precision@{k}")) + "," + string.Join(",", cuts.Select(k => $"recall@{k}")) + ","
            + string.Join(",", cuts.Select(k => $"ndcg@{k}")) + "\n");
        for (var i = 0; i < models.Count; i++)
        {
            var m = models[i].AllBuyers;
            static string F(double v) => v.ToString("F6", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{i + 1},{models[i].Model},{models[i].Kind},{F(m.Map12)},{F(models[i].CandidateUsers.Map12)},")
               .Append(string.Join(",", cuts.Select(k => F(m.Precision[k])))).Append(',')
               .Append(string.Join(",", cuts.Select(k => F(m.Recall[k])))).Append(',')
               .Append(string.Join(",", cuts.Select(k => F(m.Ndcg[k])))).Append('\n');
        }
        return csv.ToString();
    }
}
