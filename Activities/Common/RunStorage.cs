using HmRec.Shared.Blob;

namespace HmRec.Activities.Common;

/// <summary>
/// Runs whose artefacts live in blob storage: a run folder on local disk is a scratch copy of the blob prefix
/// <c>runs/{run id}/</c>. Before an activity its run's blobs are pulled (what this machine lacks), after it
/// what it wrote is pushed; when the last activity (the run report) has pushed, the scratch copy is deleted. Which
/// files an activity reads, its definition says (<see cref="ActivityDefinition{TInput, TOutput}.Reads"/>).
/// DuckDB works on the local parquet; blobs are the record, so any host sharing the task hub can run the
/// next activity.
/// </summary>
public sealed class RunStorage(BlobMirror mirror)
{
    public BlobMirror Mirror { get; } = mirror;

    /// <summary>The blob prefix of a run folder.</summary>
    public static string Prefix(string runDirectory) => $"runs/{Path.GetFileName(Path.TrimEndingDirectorySeparator(runDirectory))}/";

    /// <summary>
    /// For tests: before each activity the run's scratch copy is deleted, as if every activity ran on a fresh worker,
    /// so that an activity that reads a file outside its read set fails instead of finding it left by another.
    /// </summary>
    public bool FreshScratchPerActivity { get; init; }

    /// <summary>
    /// Runs <paramref name="activity"/> of run <paramref name="run"/> between a pull of the run files it reads
    /// (<paramref name="reads"/>, run-relative) and a push of what it wrote; <paramref name="last"/> deletes the scratch copy after.
    /// </summary>
    public async Task<TOut> AroundAsync<TOut>(string run, IReadOnlyList<System.Text.RegularExpressions.Regex> reads, Func<Task<TOut>> activity, bool last,
        CancellationToken cancellationToken)
    {
        if (FreshScratchPerActivity && Directory.Exists(run))
        {
            Directory.Delete(run, recursive: true);
            Mirror.Forget(run);
        }
        var prefix = Prefix(run);
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
}
