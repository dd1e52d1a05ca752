using Azure;

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
    public static ChampionPointer Promote(ChampionStore store, string runId, DateTime now)
    {
        var run = Path.Combine(store.RunsRoot, "runs", runId);
        var scratch = store.Blobs is not null && !Directory.Exists(run);
        try
        {
            var decisionPath = Path.Combine(run, "eval", PromotionActivity.FileName);
            Pull(store, run, Path.Combine("eval", PromotionActivity.FileName));
            if (!File.Exists(decisionPath))
            {
                throw new InvalidOperationException($"Run {runId} has no promotion decision (it has not finished, or ran before the promotion step).");
            }
            var decision = JsonSerializer.Deserialize<PromotionDecision>(File.ReadAllText(decisionPath))!;
            var layout = new RunLayout(run);
            if (decision.Model is { } model)
            {
                Pull(store, run, new[] { layout.Model(model).RankerModel, layout.Submission, layout.Global(LabelWeek.NextWeek, "popularity"), layout.Articles }
                    .Select(p => Path.GetRelativePath(run, p)));
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

    /// <summary>With the store in blob storage, downloads run files (run-relative) from <c>runs/{id}/</c> that exist there.</summary>
    private static void Pull(ChampionStore store, string run, params IEnumerable<string> relatives)
    {
        if (store.Blobs is not { } blobs)
        {
            return;
        }
        var prefix = RunStorage.Prefix(run);
        foreach (var relative in relatives)
        {
            var blob = blobs.GetBlobClient(prefix + relative.Replace(Path.DirectorySeparatorChar, '/'));
            var path = Path.Combine(run, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = AtomicFile.TempPath(path);
            try
            {
                blob.DownloadTo(temporary);
                File.Move(temporary, path, overwrite: true);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Not in the run: the caller says what is missing.
            }
            finally
            {
                File.Delete(temporary);
            }
        }
    }
}
