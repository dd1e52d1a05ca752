using HmRec.Activities.Ingest;
using HmRec.Activities.Recall;
using HmRec.Activities.Training.TwoTower;
using HmRec.Shared.Blob;

namespace HmRec.Activities.Common;

/// <summary>
/// Runs whose artefacts live in blob storage: a run folder on local disk is a scratch copy of the blob prefix
/// <c>runs/{run id}/</c>. Before an activity its run's blobs are pulled (what this machine lacks), after it
/// what it wrote is pushed; when the last activity (the run report) has pushed, the scratch copy is deleted.
/// DuckDB works on the local parquet; blobs are the record, so any host sharing the task hub can run the
/// next activity.
/// </summary>
public sealed class RunStorage(BlobMirror mirror)
{
    public BlobMirror Mirror { get; } = mirror;

    /// <summary>The blob prefix of a run folder.</summary>
    public static string Prefix(string runDirectory) => $"runs/{Path.GetFileName(Path.TrimEndingDirectorySeparator(runDirectory))}/";

    /// <summary>The run folder an activity's input belongs to, or null for inputs that are not part of a run.</summary>
    public static string? RunDirectoryOf(object? input) => input switch
    {
        IngestRequest r => Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(r.OutputDirectory)),
        RunTask t => t.RunDirectory,
        WeekTask t => t.RunDirectory,
        ShardTask t => t.RunDirectory,
        ReportTask t => t.RunDirectory,
        EvaluationTask t => t.RunDirectory,
        EvaluationReduceTask t => t.RunDirectory,
        Report.RunReportTask t => t.RunDirectory,
        TwoTowerStart t => t.RunDirectory,
        TwoTowerJob j => j.RunDirectory,
        _ => null,
    };

    /// <summary>
    /// For tests: before each activity the run's scratch copy is deleted, as if every activity ran on a fresh worker,
    /// so that an activity that reads a file outside its <see cref="Reads"/> fails instead of finding it left by another.
    /// </summary>
    public bool FreshScratchPerActivity { get; init; }

    /// <summary>
    /// Runs activity <paramref name="name"/> between a pull of the run files it reads (<see cref="Reads"/>) and a push of
    /// what it wrote; <paramref name="last"/> deletes the scratch copy after.
    /// </summary>
    public async Task<TOut> AroundAsync<TOut>(string name, object? input, Func<Task<TOut>> activity, bool last, CancellationToken cancellationToken)
    {
        if (RunDirectoryOf(input) is not { } run)
        {
            return await activity();
        }
        if (FreshScratchPerActivity && Directory.Exists(run))
        {
            Directory.Delete(run, recursive: true);
            Mirror.Forget(run);
        }
        var prefix = Prefix(run);
        var reads = Reads(name, input!);
        await Mirror.PullAsync(prefix, run, relative => reads.Any(r => r.IsMatch(relative)), cancellationToken);
        var result = await activity();
        await Mirror.PushAsync(run, prefix, cancellationToken);
        if (last)
        {
            Directory.Delete(run, recursive: true);
            Mirror.Forget(run);
        }
        return result;
    }

    /// <summary>
    /// The run files (paths relative to the run folder) that activity <paramref name="name"/> reads, its own earlier
    /// outputs included (so that finished work is found and skipped); the rest of the run stays in blob storage.
    /// </summary>
    public static IReadOnlyList<System.Text.RegularExpressions.Regex> Reads(string name, object input)
    {
        string W(LabelWeek week) => "week=" + week.Week.ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string Global = "recall/week=*/global/**";
        string[] patterns = (name, input) switch
        {
            (IngestActivity.Name, _) => ["ingest/**"],
            (TextVectorsActivity.Name, _) => ["ingest/**", "recall/text_vectors.parquet"],
            (RecallGlobalActivity.Name, WeekTask t) => ["ingest/**", "recall/text_vectors.parquet", $"recall/{W(t.Week)}/global/**"],
            (RecallShardActivity.Name, ShardTask t) => ["ingest/**", "recall/text_vectors.parquet", $"recall/{W(t.Week)}/global/**", $"recall/{W(t.Week)}/{t.Strategy}/**"],
            (MergeActivity.Name, ShardTask t) => [$"recall/{W(t.Week)}/**", $"candidates/{W(t.Week)}/**"],
            (Features.FeaturesActivity.Name, ShardTask t) => ["ingest/**", "recall/text_vectors.parquet", $"recall/{W(t.Week)}/global/**", $"candidates/{W(t.Week)}/**", $"features/{W(t.Week)}/**"],
            (RecallReportActivity.Name, _) => ["recall/**", "candidates/**"],
            (Evaluation.BaselinesActivity.Name, WeekTask t) => ["ingest/**", $"recall/{W(t.Week)}/**", "models/**"],
            (Training.RankerActivity.Name, ShardTask t) => ["features/**", Global, $"models/{t.Strategy}/**"],
            (Evaluation.EnsembleActivity.Name, _) => ["models/**", "candidates/**", Global],
            (Evaluation.EvaluateShardActivity.Name, _) => ["models/**", "candidates/**", Global],
            (Evaluation.EvaluationActivity.Name, _) => ["models/**", "candidates/**", Global, "eval/**"],
            (Report.RunReportActivity.Name, _) => ["eval/**", "models/*/summary.json", "models/*/training_log.csv", "models/*/feature_importance.csv", "recall/report.json", "ingest/manifest.json", "config.json"],
            // The two-tower worker process and the submission read widely: the whole run.
            _ => ["**"],
        };
        return [.. patterns.Select(Glob)];
    }

    /// <summary>A glob over run-relative paths: <c>**</c> any path, <c>*</c> any part of one folder or file name.</summary>
    private static System.Text.RegularExpressions.Regex Glob(string pattern) =>
        new("^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
