namespace HmRec.Activities.Recall;

/// <summary>
/// Merges every strategy's candidates of one shard: every (user, item) any strategy proposed, with one
/// score column per strategy (<c>{strategy}_score</c>, NULL where it did not propose the item), one 0/1
/// indicator per strategy (<c>from_{strategy}</c>) and <c>n_strategies</c>. Skipped when its output exists.
/// </summary>
public static class MergeActivity
{
    public const string Name = "RecallMerge";

    /// <summary>The activity: it reads its week's recall and candidates.</summary>
    public static readonly ActivityDefinition<ShardTask, StageOutput> Definition = new(Name, (_, t) => t.RunDirectory,
        t => [$"recall/{RunLayout.WeekName(t.Week.Week)}/**", $"candidates/{RunLayout.WeekName(t.Week.Week)}/**"], ActivityDefinition<ShardTask, StageOutput>.OnThreadPool(Run));

    public static StageOutput Run(ShardTask task)
    {
        var layout = new RunLayout(task.RunDirectory);
        var output = layout.Candidates(task.Week.Week, task.Shard);
        var clock = Stopwatch.StartNew();
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        if (session.Existing(output) is { } done)
        {
            return done;
        }
        // Each strategy proposes an item at most once a user, and never with a NULL score, so the flags and the count
        // follow from the scores: only the scores are aggregated, which costs less than counting each flag.
        var strategies = RecallStrategies.All;
        var union = string.Join("\nUNION ALL\n", strategies.Select((s, i) =>
            $"SELECT customer_idx, article_idx, score, rank() OVER (PARTITION BY customer_idx ORDER BY score DESC) AS rank, {i}::TINYINT AS strategy FROM read_parquet({Quote(layout.Recall(task.Week.Week, s, task.Shard))})"));
        var scores = string.Join(",\n", strategies.Select((s, i) => $"max(CASE WHEN strategy = {i} THEN score END) AS {s}_score, max(CASE WHEN strategy = {i} THEN rank END)::INTEGER AS {s}_rank"));
        var flags = string.Join(",\n", strategies.Select(s => $"({s}_score IS NOT NULL)::TINYINT AS from_{s}"));
        var count = string.Join(" + ", strategies.Select(s => $"({s}_score IS NOT NULL)::TINYINT"));
        session.CopyToParquet($"""
            SELECT customer_idx, article_idx,
            {string.Join(",\n", strategies.Select(s => s + "_score"))},
            {flags},
            {string.Join(",\n", strategies.Select(s => s + "_rank"))},
            ({count})::TINYINT AS n_strategies
            FROM (
              SELECT customer_idx, article_idx,
              {scores}
              FROM ({union})
              GROUP BY customer_idx, article_idx)
            ORDER BY customer_idx, article_idx
            """, output);
        return session.Written(output, clock.Elapsed.TotalSeconds);
    }
}
