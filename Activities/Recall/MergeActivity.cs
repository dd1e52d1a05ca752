using System.Diagnostics;
using HmRec.Activities.Common;
using static HmRec.Activities.Common.AnalyticsSession;

namespace HmRec.Activities.Recall;

/// <summary>
/// Merges every strategy's candidates of one shard: every (user, item) any strategy proposed, with one
/// score column per strategy (<c>{strategy}_score</c>, NULL where it did not propose the item), one 0/1
/// indicator per strategy (<c>from_{strategy}</c>) and <c>n_strategies</c>. Skipped when its output exists.
/// </summary>
public static class MergeActivity
{
    public const string Name = "RecallMerge";

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
        var union = string.Join("\nUNION ALL\n", RecallStrategies.All.Select(s =>
            $"SELECT customer_idx, article_idx, score, '{s}' AS strategy FROM read_parquet({Quote(layout.Recall(task.Week.Week, s, task.Shard))})"));
        var scores = string.Join(",\n", RecallStrategies.All.Select(s => $"max(score) FILTER (WHERE strategy = '{s}') AS {s}_score"));
        var flags = string.Join(",\n", RecallStrategies.All.Select(s => $"(count(*) FILTER (WHERE strategy = '{s}') > 0)::TINYINT AS from_{s}"));
        session.CopyToParquet($"""
            SELECT customer_idx, article_idx,
            {scores},
            {flags},
            count(DISTINCT strategy)::TINYINT AS n_strategies
            FROM ({union})
            GROUP BY customer_idx, article_idx
            ORDER BY customer_idx, article_idx
            """, output);
        return session.Written(output, clock.Elapsed.TotalSeconds);
    }
}
