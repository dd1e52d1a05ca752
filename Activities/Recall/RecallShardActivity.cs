namespace HmRec.Activities.Recall;

/// <summary>
/// One recall strategy for one shard of one label week's target users: reads the transactions before the
/// week's cutoff and the week's global tables, and writes <c>customer_idx, article_idx, score</c>, the
/// strategy's best <c>TopN</c> items per user (ties broken by article). Skipped when its output exists.
/// </summary>
public static class RecallShardActivity
{
    public const string Name = "RecallShard";

    /// <summary>The activity: it reads the ingest tables, the text vectors, its week's global tables and its own earlier output.</summary>
    public static readonly ActivityDefinition<RecallShardTask, StageOutput> Definition = new(Name, (_, t) => t.RunDirectory,
        t => ["ingest/**", "recall/text_vectors.parquet", $"recall/{RunLayout.WeekName(t.Week.Week)}/global/**", $"recall/{RunLayout.WeekName(t.Week.Week)}/{t.Strategy}/**"],
        ActivityDefinition<RecallShardTask, StageOutput>.OnThreadPool(Run));

    public static StageOutput Run(RecallShardTask task)
    {
        var strategy = task.Strategy;
        if (!RecallStrategies.All.Contains(strategy))
        {
            throw new ArgumentException($"Unknown recall strategy '{strategy}'; expected one of {string.Join(", ", RecallStrategies.All)}.");
        }
        var layout = new RunLayout(task.RunDirectory);
        var output = layout.Recall(task.Week.Week, strategy, task.Shard);
        var clock = Stopwatch.StartNew();
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        if (session.Existing(output) is { } done)
        {
            return done;
        }
        var c = task.Week.CutoffDay;
        session.Execute($"""
            CREATE VIEW tx AS SELECT * FROM read_parquet({Quote(layout.Transactions)}) WHERE day < {c};
            CREATE TABLE targets AS SELECT customer_idx FROM read_parquet({Quote(layout.Global(task.Week.Week, "targets"))}) WHERE shard = {task.Shard};
            """);
        RecallStrategies.Registered.Single(r => r.Name == strategy).Write(session, new Strategies.RecallContext(task, layout), output);
        return session.Written(output, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>Input of one recall strategy on one shard of a week's target users.</summary>
public sealed record RecallShardTask(string RunDirectory, LabelWeek Week, int Shard, HmRec.Activities.Options.PipelineOptions Options, string Strategy);
