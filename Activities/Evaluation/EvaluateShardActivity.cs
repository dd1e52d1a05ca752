namespace HmRec.Activities.Evaluation;

/// <summary>
/// Evaluates one model on one shard of the validation buyers (the shard of the week's targets): each buyer's top 12
/// (filled up to 12 from the popularity baseline), summed over the buyers with candidates and over all.
/// </summary>
public static class EvaluateShardActivity
{
    public const string Name = "EvaluateShard";

    /// <summary>The activity: it reads the models' scores, the candidates and the global tables.</summary>
    public static readonly ActivityDefinition<ModelShardTask, ShardMetrics> Definition = new(Name, (_, t) => t.RunDirectory,
        _ => ["models/**", "candidates/**", "recall/week=*/global/**"],
        ActivityDefinition<ModelShardTask, ShardMetrics>.OnThreadPool(Run));

    public static ShardMetrics Run(ModelShardTask task)
    {
        var model = task.Model;
        var file = ModelFile(task.RunDirectory, model);
        if (!File.Exists(file))
        {
            return new ShardMetrics(model, task.Shard, false, MetricSums.Zero, MetricSums.Zero);
        }
        var layout = new RunLayout(task.RunDirectory);
        var inShard = $"customer_idx IN (SELECT customer_idx FROM read_parquet({Quote(layout.Global(0, "targets"))}) WHERE shard = {task.Shard})";
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        var bought = Predictions.ReadLabels(session, layout, inShard);
        var candidateUsers = new HashSet<int>();
        using (var r = session.Connection.Query($"SELECT DISTINCT customer_idx FROM read_parquet({Quote(layout.Candidates(0, task.Shard))})"))
        {
            candidateUsers.UnionWith(r.ReadAll().Get<int>("customer_idx").Values);
        }
        // Every user's popularity list is the same list: the fallback for missing or short lists.
        var fallback = TopTwelve(session, ModelFile(task.RunDirectory, BaselinesActivity.Popularity), inShard).Values.FirstOrDefault() ?? [];
        var predictions = TopTwelve(session, file, inShard);
        var filled = bought.Keys.ToDictionary(u => u, u => Fill(predictions.GetValueOrDefault(u) ?? [], fallback));
        var onCandidates = bought.Where(b => candidateUsers.Contains(b.Key)).ToDictionary(b => b.Key, b => b.Value);
        return new ShardMetrics(model, task.Shard, true, RankingMetrics.Sum(filled, onCandidates), RankingMetrics.Sum(filled, bought));
    }

    internal static string ModelFile(string run, string model) => new RunLayout(run).Model(model).Validation;

    /// <summary>Each user's top 12 by score (ties by item).</summary>
    private static Dictionary<int, int[]> TopTwelve(AnalyticsSession session, string path, string condition)
    {
        using var r = session.Connection.Query($"SELECT customer_idx, article_idx, score FROM read_parquet({Quote(path)}) WHERE {condition}");
        var rows = r.ReadAll();
        return RankingMetrics.Rank(rows.Get<int>("customer_idx").Values, rows.Get<int>("article_idx").Values, rows.Get<float>("score").Values);
    }

    /// <summary>The model's list, then fallback items not already in it, up to 12.</summary>
    private static int[] Fill(int[] predicted, int[] fallback) =>
        predicted.Length >= 12 ? predicted : [.. predicted.Concat(fallback.Where(f => !predicted.Contains(f))).Take(12)];
}

/// <summary>Input of one model's evaluation on one shard of the validation week's buyers.</summary>
public sealed record ModelShardTask(string RunDirectory, LabelWeek Week, int Shard, HmRec.Activities.Options.PipelineOptions Options, string Model);
