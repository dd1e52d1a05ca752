using HmRec.Activities.Ingest;
using HmRec.Activities.Recall;
using HmRec.Activities.Training.TwoTower;
using HmRec.Shared.Blob;

namespace HmRec.Activities.Common;

/// <summary>
/// Runs whose artefacts live in blob storage: a run folder on local disk is a scratch copy of the blob prefix
/// <c>runs/{run id}/</c>. Before an activity its run's blobs are pulled (what this machine lacks), after it
/// what it wrote is pushed; when the last activity (the submission) has pushed, the scratch copy is deleted.
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
        TwoTowerStart t => t.RunDirectory,
        TwoTowerJob j => j.RunDirectory,
        _ => null,
    };

    /// <summary>Runs <paramref name="activity"/> between a pull and a push of its run; <paramref name="last"/> deletes the scratch copy after.</summary>
    public async Task<TOut> AroundAsync<TOut>(object? input, Func<Task<TOut>> activity, bool last, CancellationToken cancellationToken)
    {
        if (RunDirectoryOf(input) is not { } run)
        {
            return await activity();
        }
        var prefix = Prefix(run);
        await Mirror.PullAsync(prefix, run, cancellationToken);
        var result = await activity();
        await Mirror.PushAsync(run, prefix, cancellationToken);
        if (last)
        {
            Directory.Delete(run, recursive: true);
            Mirror.Forget(run);
        }
        return result;
    }
}
