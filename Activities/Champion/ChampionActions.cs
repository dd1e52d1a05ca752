namespace HmRec.Activities.Champion;

/// <summary>
/// What a person does with the champion (promote a run by hand, roll back) and the history of every run's decision; the
/// same for <c>hmrec champion</c> and the HTTP routes.
/// </summary>
public static class ChampionActions
{
    private static readonly JsonSerializerOptions Options = new();

    /// <summary>
    /// Every run's promotion decision in <paramref name="runsRoot"/> (the folder holding <c>runs/</c>), by the last day
    /// of its data, then by run id; runs that have not reached the promotion step are not listed.
    /// </summary>
    public static IReadOnlyList<PromotionDecision> History(string runsRoot)
    {
        var runs = Path.Combine(runsRoot, "runs");
        if (!Directory.Exists(runs))
        {
            return [];
        }
        return
        [
            .. Directory.EnumerateDirectories(runs)
                .Select(r => Path.Combine(r, "eval", PromotionActivity.FileName))
                .Where(File.Exists)
                .Select(p => JsonSerializer.Deserialize<PromotionDecision>(File.ReadAllText(p), Options)!)
                .OrderBy(d => d.DataLastDay).ThenBy(d => d.RunId, StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// Makes finished run <paramref name="runId"/> the champion whatever its numbers (a person's decision): the run must
    /// have reached the promotion step and trained a ranker. Fails with a one-line message otherwise.
    /// </summary>
    public static ChampionPointer Promote(string runsRoot, string runId, DateTime now)
    {
        var run = Path.Combine(runsRoot, "runs", runId);
        var path = Path.Combine(run, "eval", PromotionActivity.FileName);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Run {runId} has no promotion decision in {runsRoot} (it has not finished, or ran before the promotion step).");
        }
        var decision = JsonSerializer.Deserialize<PromotionDecision>(File.ReadAllText(path), Options)!;
        var store = ChampionStore.In(runsRoot);
        using (store.Lock(TimeSpan.FromMinutes(1)))
        {
            PromotionActivity.Install(store, run, new PipelineOptions(), decision with { Reason = "promoted by hand" });
            return store.Swap(runId, "promoted by hand", now);
        }
    }

    /// <summary>Returns to the champion before the current one.</summary>
    public static ChampionPointer Rollback(string runsRoot, DateTime now)
    {
        var store = ChampionStore.In(runsRoot);
        using (store.Lock(TimeSpan.FromMinutes(1)))
        {
            return store.Rollback(now);
        }
    }
}
