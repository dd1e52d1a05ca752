using System.Globalization;
using System.Text;
using System.Text.Json;
using HmRec.Activities.Common;
using HmRec.Activities.Recall;
using static HmRec.Activities.Common.AnalyticsSession;

namespace HmRec.Activities.Evaluation;

/// <summary>
/// Evaluates every model's and baseline's validation predictions against the validation week's purchases
/// and writes eval/metrics.json and eval/comparison.csv (ranked by MAP@12 over all buyers).
/// </summary>
public static class EvaluationActivity
{
    public const string Name = "Evaluate";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static EvaluationReport Run(EvaluationTask task)
    {
        var layout = new RunLayout(task.RunDirectory);
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        var bought = new Dictionary<int, HashSet<int>>();
        using (var r = session.Connection.Query($"SELECT customer_idx, article_idx FROM read_parquet({Quote(layout.Global(0, "labels"))})"))
        {
            var rows = r.ReadAll();
            var users = rows.Get<int>("customer_idx").Values;
            var items = rows.Get<int>("article_idx").Values;
            for (var i = 0; i < users.Length; i++)
            {
                (bought.TryGetValue(users[i], out var set) ? set : bought[users[i]] = []).Add(items[i]);
            }
        }
        var candidates = "[" + string.Join(", ", Enumerable.Range(0, task.Options.Shards).Select(k => Quote(layout.Candidates(0, k)))) + "]";
        var withCandidates = session.Scalar<long>($"SELECT count(DISTINCT customer_idx) FROM read_parquet({candidates})");
        var candidateUsers = new HashSet<int>();
        using (var r = session.Connection.Query($"SELECT DISTINCT customer_idx FROM read_parquet({candidates})"))
        {
            candidateUsers.UnionWith(r.ReadAll().Get<int>("customer_idx").Values);
        }
        var hits = session.Scalar<long>($"SELECT count(*) FROM read_parquet({candidates}) c SEMI JOIN read_parquet({Quote(layout.Global(0, "labels"))}) l USING (customer_idx, article_idx)");
        var labels = bought.Values.Sum(s => (long)s.Count);

        var fallback = Predictions(session, ModelFile(task.RunDirectory, BaselinesActivity.Popularity));
        // Every user's popularity list is the same list.
        var fallbackList = fallback.Values.FirstOrDefault() ?? [];
        var models = new List<ModelEvaluation>();
        foreach (var model in task.Models.Where(m => File.Exists(ModelFile(task.RunDirectory, m))))
        {
            var predictions = Predictions(session, ModelFile(task.RunDirectory, model));
            var filled = bought.Keys.ToDictionary(u => u, u => Fill(predictions.GetValueOrDefault(u) ?? [], fallbackList));
            var onCandidates = bought.Where(b => candidateUsers.Contains(b.Key)).ToDictionary(b => b.Key, b => b.Value);
            models.Add(new ModelEvaluation(model, model.StartsWith("baseline_", StringComparison.Ordinal) ? "baseline" : model.StartsWith("ensemble_", StringComparison.Ordinal) ? "ensemble" : "ranker",
                RankingMetrics.Evaluate(filled, onCandidates), RankingMetrics.Evaluate(filled, bought)));
        }
        models = [.. models.OrderByDescending(m => m.AllBuyers.Map12).ThenBy(m => m.Model, StringComparer.Ordinal)];
        var report = new EvaluationReport(bought.Count, withCandidates, labels == 0 ? 0 : (double)hits / labels, models);

        var eval = Path.Combine(task.RunDirectory, "eval");
        Directory.CreateDirectory(eval);
        Write(Path.Combine(eval, "metrics.json"), JsonSerializer.Serialize(report, Indented));
        Write(Path.Combine(eval, "comparison.csv"), Comparison(models));
        return report;
    }

    private static string ModelFile(string run, string model) => Path.Combine(run, "models", model, "validation.parquet");

    /// <summary>Each user's top 12 by score (ties by item).</summary>
    private static Dictionary<int, int[]> Predictions(AnalyticsSession session, string path)
    {
        using var r = session.Connection.Query($"SELECT customer_idx, article_idx, score FROM read_parquet({Quote(path)})");
        var rows = r.ReadAll();
        return RankingMetrics.Rank(rows.Get<int>("customer_idx").Values, rows.Get<int>("article_idx").Values, rows.Get<float>("score").Values);
    }

    /// <summary>The model's list, then fallback items not already in it, up to 12.</summary>
    private static int[] Fill(int[] predicted, int[] fallback) =>
        predicted.Length >= 12 ? predicted : [.. predicted.Concat(fallback.Where(f => !predicted.Contains(f))).Take(12)];

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

    private static void Write(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
