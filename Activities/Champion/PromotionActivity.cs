using HmRec.Activities.Evaluation;
using HmRec.Shared.LightGbm;

namespace HmRec.Activities.Champion;

/// <summary>
/// The promotion step, after the evaluation and the submission: the run's best LightGBM ranker becomes the champion
/// (<see cref="ChampionStore"/>) only if its MAP@12 is at least <c>Promotion.MinRatioToRule</c> times the whole-history
/// rule's and not below the current champion's ranker scored on this run's validation week (its saved model on this
/// run's features, evaluated as every model is). Both numbers and the reasons are written to
/// <c>eval/promotion.json</c> and returned. Under the store's lock, so two runs never decide against a champion that
/// changes under them.
/// </summary>
public static class PromotionActivity
{
    public const string Name = "Promote";

    /// <summary>The folder of the champion's scores on this run's validation week (<c>models/champion/</c>).</summary>
    public const string ChampionModel = "champion";

    public const string FileName = "promotion.json";

    /// <summary>The activity: it reads the evaluation, the models, the validation week's features and candidates, and the submission.</summary>
    public static readonly ActivityDefinition<PromotionTask, PromotionDecision> Definition = new(Name, (_, t) => t.RunDirectory,
        _ => ["eval/**", "models/**", "features/week=0/**", "candidates/week=0/**", "recall/**/global/**", "ingest/articles.parquet", "submission.csv"],
        (host, task) => Task.Run(() => Run(task, host.Blobs), host.Stopping));

    /// <summary>Decides, promotes when the decision says so, and records the decision (in the run and in the store's history).</summary>
    /// <param name="task">The run.</param>
    /// <param name="blobs">The runs' container when the champion store lives in blob storage.</param>
    public static PromotionDecision Run(PromotionTask task, Azure.Storage.Blobs.BlobContainerClient? blobs = null)
    {
        var layout = new RunLayout(task.RunDirectory);
        var decisionPath = Path.Combine(layout.EvalDirectory, FileName);
        if (File.Exists(decisionPath))
        {
            return JsonSerializer.Deserialize<PromotionDecision>(File.ReadAllText(decisionPath))!;
        }
        var runId = Path.GetFileName(Path.GetFullPath(task.RunDirectory));
        var report = JsonSerializer.Deserialize<EvaluationReport>(File.ReadAllText(layout.Metrics))!;
        var rule = report.Models.FirstOrDefault(m => m.Model == BaselinesActivity.RecentThenTop12)?.AllBuyers.Map12 ?? 0;
        var best = report.Models.Where(m => m.Kind == "ranker" && File.Exists(layout.Model(m.Model).RankerModel)).MaxBy(m => m.AllBuyers.Map12);
        var store = ChampionStore.ForRun(task.RunDirectory, blobs);
        using (store.Lock(TimeSpan.FromMinutes(10)))
        {
            var decision = Decide(task, layout, store, runId, rule, best);
            if (decision.Promoted && store.Current()?.RunId != runId)
            {
                Install(store, task.RunDirectory, task.Options, decision);
                store.Swap(runId, decision.Reason, DateTime.UtcNow);
            }
            store.Record(decision);
            JsonFile.Write(decisionPath, decision);
            return decision;
        }
    }

    private static PromotionDecision Decide(PromotionTask task, RunLayout layout, ChampionStore store, string runId, double rule, ModelEvaluation? best)
    {
        var options = task.Options.Promotion;
        var current = store.Current();
        string F(double v) => v.ToString("F5", CultureInfo.InvariantCulture);
        PromotionDecision Decision(bool promoted, string reason, string? championRun = null, double? championMap = null, string? championNote = null) =>
            new(runId, task.DataLastDay, promoted, reason, best?.Model, best?.AllBuyers.Map12 ?? 0, rule,
                rule > 0 && best is not null ? best.AllBuyers.Map12 / rule : null, championRun ?? current?.RunId, championMap, championNote);
        if (best is null)
        {
            return Decision(false, "No LightGBM ranker trained in this run.");
        }
        if (current?.RunId == runId)
        {
            return Decision(true, "This run is the champion already.");
        }
        var ratio = rule > 0 ? best.AllBuyers.Map12 / rule : double.PositiveInfinity;
        var ratioText = rule > 0 ? string.Create(CultureInfo.InvariantCulture, $"{ratio:F2}x") : "above";
        var required = options.MinRatioToRule.ToString("0.##", CultureInfo.InvariantCulture);
        // The champion's ranker on this run's validation week, whatever the rule says: both numbers are recorded.
        var (championMap, note) = current is null ? ((double?)null, (string?)null) : ScoreChampion(task, layout, store, current.RunId);
        if (ratio < options.MinRatioToRule)
        {
            return Decision(false, $"{best.Model}'s MAP@12 {F(best.AllBuyers.Map12)} is {ratioText} the rule's {F(rule)}, below the required {required}x.",
                championMap: championMap, championNote: note);
        }
        if (championMap is { } map && best.AllBuyers.Map12 < map)
        {
            return Decision(false, $"{best.Model}'s MAP@12 {F(best.AllBuyers.Map12)} is below champion {current!.RunId}'s {F(map)} on this run's validation week.",
                championMap: map, championNote: note);
        }
        var versus = current is null ? "there was no champion"
            : championMap is { } m ? $"champion {current.RunId} scores {F(m)} on this week"
            : $"champion {current.RunId} could not be scored on this week ({note}), so the rule alone decided";
        if (!options.Enabled)
        {
            return Decision(false, $"Promotion.Enabled is false ({best.Model}'s MAP@12 {F(best.AllBuyers.Map12)} is {ratioText} the rule's; {versus}).",
                championMap: championMap, championNote: note);
        }
        return Decision(true, $"{best.Model}'s MAP@12 {F(best.AllBuyers.Map12)} is {ratioText} the rule's {F(rule)} (at least {required}x) and {versus}.",
            championMap: championMap, championNote: note);
    }

    /// <summary>
    /// The champion's ranker scored on this run's validation week and evaluated as every model is: its MAP@12 over all
    /// the week's buyers, or why it could not be scored (no saved model, other features).
    /// </summary>
    private static (double? Map12, string? Note) ScoreChampion(PromotionTask task, RunLayout layout, ChampionStore store, string championRun)
    {
        var directory = store.Local(championRun);
        var modelPath = Path.Combine(directory, ChampionStore.ModelFile);
        if (!File.Exists(modelPath))
        {
            return (null, "it kept no ranker model");
        }
        var names = JsonSerializer.Deserialize<List<string>>(File.ReadAllText(Path.Combine(directory, ChampionStore.FeaturesFile)))!;
        using var booster = LgbmBooster.Load(modelPath);
        var forest = LgbmForest.TryParse(File.ReadAllText(modelPath));
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        var users = new List<int>();
        var items = new List<int>();
        var scores = new List<float>();
        string? mismatch = null;
        FeatureTable.ForEachPart(session.Connection, layout.WeekFeatures(0), "week = 0", 200_000, part =>
        {
            if (mismatch is not null)
            {
                return;
            }
            if (!part.Names.SequenceEqual(names))
            {
                var missing = names.Except(part.Names).Take(3).ToList();
                mismatch = missing.Count > 0 ? $"this run has no feature {string.Join(", ", missing)}" : "this run's features differ from its features";
                return;
            }
            var values = part.Values.AsSpan(0, part.Rows * names.Count);
            var predicted = forest?.Predict(values, part.Rows, names.Count) ?? booster.Predict(values, part.Rows);
            users.AddRange(part.Users);
            items.AddRange(part.Items);
            scores.AddRange(predicted.Select(s => (float)s));
        });
        if (mismatch is not null)
        {
            return (null, mismatch);
        }
        var outputs = layout.Model(ChampionModel);
        Directory.CreateDirectory(outputs.Directory);
        ScoreFile.Write(session.Connection, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(users), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items),
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scores), outputs.Validation);
        int[] shards;
        using (var result = session.Connection.Query($"SELECT DISTINCT shard FROM read_parquet({Quote(layout.Global(0, "targets"))}) ORDER BY shard"))
        {
            shards = [.. result.ReadAll().Get<int>("shard").Values];
        }
        var week = LabelWeek.Of(task.DataLastDay, 0);
        var sums = shards.Select(k => EvaluateShardActivity.Run(new ModelShardTask(task.RunDirectory, week, k, task.Options, ChampionModel)))
            .Aggregate(MetricSums.Zero, (sum, s) => sum.Add(s.AllBuyers));
        return (sums.ToMetricSet().Map12, null);
    }

    /// <summary>Installs a run's champion files as <paramref name="decision"/> describes them (its ranker, the rule, the reason).</summary>
    internal static void Install(ChampionStore store, string runDirectory, PipelineOptions options, PromotionDecision decision)
    {
        var layout = new RunLayout(runDirectory);
        var model = layout.Model(decision.Model ?? throw new InvalidOperationException($"Run {decision.RunId} has no trained ranker to promote.")).RankerModel;
        using var booster = LgbmBooster.Load(model);
        store.Install(runDirectory, new ChampionManifest(decision.RunId, decision.DataLastDay, decision.Model, decision.Map12, decision.RuleMap12,
            Fallback(options, layout), File.ReadLines(layout.Submission).LongCount() - 1, decision.Reason), model, booster.FeatureNames());
    }

    /// <summary>The week after the data's 12 best sellers, as article ids: what a customer the submission does not name gets.</summary>
    private static IReadOnlyList<string> Fallback(PipelineOptions options, RunLayout layout)
    {
        using var session = new AnalyticsSession(options.Ingest.MemoryLimit, layout.RunDirectory);
        using var command = session.Connection.CreateCommand();
        command.CommandText = $"""
            SELECT lpad(a.article_id::VARCHAR, 10, '0') FROM read_parquet({Quote(layout.Global(LabelWeek.NextWeek, "popularity"))}) p
            JOIN read_parquet({Quote(layout.Articles)}) a USING (article_idx) ORDER BY p.score DESC, p.article_idx LIMIT 12
            """;
        using var reader = command.ExecuteReader();
        var articles = new List<string>();
        while (reader.Read())
        {
            articles.Add(reader.GetString(0));
        }
        return articles;
    }
}

/// <summary>Input of the promotion step: the run, its options and the last day of its data.</summary>
public sealed record PromotionTask(string RunDirectory, PipelineOptions Options, DateOnly DataLastDay);

/// <summary>
/// A run's promotion decision: its best ranker's MAP@12 on the validation week, the rule's and their ratio, the champion
/// it was measured against and that champion's MAP@12 on the same week (or why it could not be scored).
/// </summary>
public sealed record PromotionDecision(
    string RunId,
    DateOnly DataLastDay,
    bool Promoted,
    string Reason,
    string? Model,
    double Map12,
    double RuleMap12,
    double? RatioToRule,
    string? ChampionRun,
    double? ChampionMap12,
    string? ChampionNote);
