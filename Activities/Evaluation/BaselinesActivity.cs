namespace HmRec.Activities.Evaluation;

/// <summary>
/// Stage 0: five rule-based recommenders for the validation week's users, from transactions before its
/// cutoff only, each written as <c>models/{name}/validation.parquet</c> (12 items per user, score falling
/// with rank): the week's global top 12, time-decayed popularity, the user's repurchases then popular
/// items, the top 12 of the user's age bucket, and the simple rule (every distinct item the user ever
/// bought, most recent first, then last week's 12 best sellers).
/// </summary>
public static class BaselinesActivity
{
    public const string Name = "Baselines";

    /// <summary>The activity: it reads the ingest tables, its week's recall and the models' folders.</summary>
    public static readonly ActivityDefinition<WeekTask, StageOutput> Definition = new(Name, (_, t) => t.RunDirectory,
        t => ["ingest/**", $"recall/{RunLayout.WeekName(t.Week.Week)}/**", "models/**"], ActivityDefinition<WeekTask, StageOutput>.OnThreadPool(Run));

    public const string GlobalTop = "baseline_top12_last_week";
    public const string Popularity = "baseline_decayed_popularity";
    public const string RepurchaseThenPopular = "baseline_repurchase_then_popular";
    public const string AgeBucket = "baseline_age_bucket";
    public const string RecentThenTop12 = "baseline_recent_then_top12";

    public static readonly IReadOnlyList<string> All = [GlobalTop, Popularity, RepurchaseThenPopular, AgeBucket, RecentThenTop12];

    /// <summary>
    /// SQL of (customer_idx, article_idx, p, o) for the rule over the users of <paramref name="usersTable"/>, from the
    /// whole history before the cutoff (<see cref="WholeHistory.Pairs"/> over the view <c>tx</c>) and the table
    /// <c>last_week</c> (its 12 best sellers with their sales <c>n</c>): each distinct item the user ever bought, latest
    /// purchase first (p = <paramref name="priority"/>), then last week's best sellers (p = priority + 0.5, o = minus
    /// sales). Items last bought on the same day go by how many the user bought of them, most first, then by article:
    /// o = -(last day + n / (n + 1)), the fraction below one so that it never reorders days.
    /// </summary>
    public static string RecentThenTop12Rows(RunLayout layout, string usersTable, int priority) => $"""
        SELECT customer_idx, article_idx, {priority}::DOUBLE AS p, -(last_day + n / (n + 1.0))::DOUBLE AS o
        FROM ({WholeHistory.Pairs(layout, usersTable)})
        UNION ALL
        SELECT u.customer_idx, l.article_idx, {priority} + 0.5 AS p, -l.n::DOUBLE AS o
        FROM {usersTable} u CROSS JOIN last_week l
        """;

    public static StageOutput Run(WeekTask task)
    {
        var layout = new RunLayout(task.RunDirectory);
        var week = task.Week;
        var clock = Stopwatch.StartNew();
        string Output(string name) => new RunLayout(task.RunDirectory).Model(name).Validation;
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        if (All.All(n => File.Exists(Output(n))))
        {
            return new StageOutput(Output(All[0]), 0, 0, 0, Skipped: true);
        }
        var c = week.CutoffDay;
        var shards = Quote(layout.WeekRecall(week.Week, RecallStrategies.Repurchase));
        session.Execute($"""
            CREATE VIEW tx AS SELECT * FROM read_parquet({Quote(layout.Transactions)}) WHERE day < {c};
            CREATE TABLE targets AS SELECT customer_idx FROM read_parquet({Quote(layout.Global(week.Week, "targets"))});
            CREATE TABLE last_week AS
              SELECT article_idx, count(*) AS n FROM tx WHERE day >= {c - 7} GROUP BY ALL ORDER BY n DESC, article_idx LIMIT 12;
            CREATE TABLE popular AS SELECT article_idx, score FROM read_parquet({Quote(layout.Global(week.Week, "popularity"))}) ORDER BY score DESC, article_idx LIMIT 12;
            """);
        // Each query gives (customer_idx, article_idx, priority): lower first, then the baseline's ordering in 'o'.
        var queries = new Dictionary<string, string>
        {
            [GlobalTop] = "SELECT t.customer_idx, l.article_idx, 0 AS p, -l.n::DOUBLE AS o FROM targets t CROSS JOIN last_week l",
            [Popularity] = "SELECT t.customer_idx, p.article_idx, 0 AS p, -p.score AS o FROM targets t CROSS JOIN popular p",
            [RepurchaseThenPopular] = $"""
                SELECT customer_idx, article_idx, 0 AS p, -score AS o FROM read_parquet({shards})
                UNION ALL
                SELECT t.customer_idx, p.article_idx, 1 AS p, -p.score AS o FROM targets t CROSS JOIN popular p
                """,
            [AgeBucket] = $"""
                SELECT customer_idx, article_idx, 0 AS p, -n::DOUBLE AS o FROM ({Predictions.AgeBucketTops(layout.Customers, "targets", c)})
                UNION ALL
                SELECT t.customer_idx, l.article_idx, 1 AS p, -l.n::DOUBLE AS o FROM targets t CROSS JOIN last_week l
                """,
            [RecentThenTop12] = RecentThenTop12Rows(layout, "targets", 0),
        };
        long rows = 0;
        foreach (var (name, query) in queries)
        {
            session.CopyToParquet($"""
                SELECT customer_idx, article_idx, (12 - rank + 1)::FLOAT AS score FROM (
                  SELECT customer_idx, article_idx, row_number() OVER (PARTITION BY customer_idx ORDER BY p, o, article_idx) AS rank
                  FROM (SELECT * FROM ({query}) QUALIFY row_number() OVER (PARTITION BY customer_idx, article_idx ORDER BY p, o) = 1))
                WHERE rank <= 12 ORDER BY customer_idx, rank
                """, Output(name));
            rows += session.Count(Output(name)).Rows;
        }
        return new StageOutput(Output(All[0]), rows, session.Scalar<long>("SELECT count(*) FROM targets"), clock.Elapsed.TotalSeconds, Skipped: false);
    }
}
