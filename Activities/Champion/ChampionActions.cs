using HmRec.Shared.Blob;

namespace HmRec.Activities.Champion;

/// <summary>
/// What a person does with the champion: promote a finished run by hand, roll back; the same for <c>hmrec champion</c>
/// and the HTTP routes.
/// </summary>
public static class ChampionActions
{
    /// <summary>
    /// Makes finished run <paramref name="runId"/> the champion whatever its numbers (a person's decision): the run must
    /// have reached the promotion step and trained a ranker. Fails with a one-line message otherwise. With the store in
    /// blob storage the run's files the champion keeps are downloaded first (and the local copy deleted after).
    /// </summary>
    public static async Task<ChampionPointer> PromoteAsync(ChampionStore store, string runId, DateTime now, CancellationToken cancellationToken = default)
    {
        var run = Path.Combine(store.RunsRoot, "runs", runId);
        var scratch = store.Blobs is not null && !Directory.Exists(run);
        try
        {
            var decisionPath = Path.Combine(run, "eval", PromotionActivity.FileName);
            // With the store in blob storage, the run's files come from its blobs (runs/{id}/), as an activity's do.
            var mirror = store.Blobs is { } blobs ? new BlobMirror(blobs) : null;
            if (mirror is not null)
            {
                await mirror.PullAsync(RunStorage.Prefix(run), run, r => r == "eval/" + PromotionActivity.FileName, cancellationToken).ConfigureAwait(false);
            }
            if (!File.Exists(decisionPath))
            {
                throw new InvalidOperationException($"Run {runId} has no promotion decision (it has not finished, or ran before the promotion step).");
            }
            var decision = JsonSerializer.Deserialize<PromotionDecision>(File.ReadAllText(decisionPath))!;
            var layout = new RunLayout(run);
            if (mirror is not null && decision.Model is { } model)
            {
                HashSet<string> files = [.. new[] { layout.Model(model).RankerModel, layout.Submission, layout.Global(LabelWeek.NextWeek, "popularity"), layout.Articles }
                    .Select(p => Path.GetRelativePath(run, p).Replace(Path.DirectorySeparatorChar, '/'))];
                await mirror.PullAsync(RunStorage.Prefix(run), run, files.Contains, cancellationToken).ConfigureAwait(false);
            }
            using (store.Lock(TimeSpan.FromMinutes(1)))
            {
                PromotionActivity.Install(store, run, new PipelineOptions(), decision with { Reason = "promoted by hand" });
                return store.Swap(runId, "promoted by hand", now);
            }
        }
        finally
        {
            if (scratch && Directory.Exists(run))
            {
                Directory.Delete(run, recursive: true);
            }
        }
    }

    /// <summary>Returns to the champion before the current one.</summary>
    public static ChampionPointer Rollback(ChampionStore store, DateTime now)
    {
        using (store.Lock(TimeSpan.FromMinutes(1)))
        {
            return store.Rollback(now);
        }
    }
}
