namespace HmRec.Activities.Recall;

/// <summary>
/// The global tables of one label week, computed once from every customer's transactions before the
/// week's first day and read by every shard: the target users and their labels, item statistics and
/// eligibility and the popularity list, then each recall strategy's own tables (<see cref="Strategies.RecallStrategy.WeekTables"/>:
/// co-purchase neighbours, user-KNN indexes, category top items, the text candidate pool...). Each file is written
/// atomically; the activity is skipped when all of them exist.
/// </summary>
public static class RecallGlobalActivity
{
    public const string Name = "RecallGlobal";

    /// <summary>The activity: it reads the ingest tables, the text vectors and its week's global tables.</summary>
    public static readonly ActivityDefinition<WeekTask, StageOutput> Definition = new(Name, (_, t) => t.RunDirectory,
        t => ["ingest/**", "recall/text_vectors.parquet", $"recall/{RunLayout.WeekName(t.Week.Week)}/global/**"], ActivityDefinition<WeekTask, StageOutput>.OnThreadPool(Run));

    /// <summary>The tables written, in the order they are built.</summary>
    public static readonly IReadOnlyList<string> Tables =
        ["targets", "labels", "items", "popularity", .. RecallStrategies.Registered.SelectMany(s => s.WeekTables)];

    public static StageOutput Run(WeekTask task)
    {
        var layout = new RunLayout(task.RunDirectory);
        var week = task.Week;
        var clock = Stopwatch.StartNew();
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        var targetsPath = layout.Global(week.Week, "targets");
        if (Tables.All(t => File.Exists(layout.Global(week.Week, t))))
        {
            var (rows, users) = session.Count(targetsPath);
            return new StageOutput(targetsPath, rows, users, 0, Skipped: true);
        }

        var o = task.Options;
        var c = week.CutoffDay;
        var context = new Strategies.RecallWeekContext(week, o, layout);
        string G(string table) => context.Global(table);
        void Write(string table, string query) => session.CopyToParquet(query, context.GlobalPath(table));

        session.Execute($"""
            CREATE VIEW tx AS SELECT * FROM read_parquet({Quote(layout.Transactions)}) WHERE day < {c};
            CREATE VIEW articles AS SELECT * FROM read_parquet({Quote(layout.Articles)});
            CREATE VIEW year_ago AS SELECT * FROM read_parquet({Quote(layout.YearAgo)}) WHERE week BETWEEN {week.Week + 51} AND {week.Week + 53};
            """);
        // The same weeks a year before this one (one either side): seasonal signals, NULL where the data does not reach back.
        var yearAgoReached = session.Scalar<long>($"SELECT count(*) FROM read_parquet({Quote(layout.YearAgo)}) WHERE week >= {week.Week + 53}") > 0 ? "true" : "false";

        // Who gets candidates for this week: the sampled users who buy in it (the population the metric and
        // the training rows are about). Which items they buy is the label, used nowhere else.
        // For the week after the data (the submission) nobody has bought yet: its users are the sampled users
        // active in the last weeks; every other customer gets the fallback.
        var population = week.IsNext
            ? $"SELECT customer_idx FROM tx WHERE day >= {c - 7 * o.Features.SubmissionActiveWeeks}"
            : $"SELECT customer_idx FROM read_parquet({Quote(layout.Transactions)}) WHERE day BETWEEN {c} AND {week.LastDay}";
        // The week's shards follow its number of target users (PipelineOptions.ShardsFor; the orchestrator sizes its
        // fan-out from the users this activity returns, with the same function).
        session.Execute($"""
            CREATE TABLE target_users AS
            SELECT s.customer_idx FROM read_parquet({Quote(layout.UsersSampled)}) s SEMI JOIN ({population}) w USING (customer_idx)
            """);
        var shards = o.ShardsFor(session.Scalar<long>("SELECT count(*) FROM target_users"));
        Write("targets", $"""
            SELECT customer_idx, (customer_idx % {shards})::INTEGER AS shard FROM target_users ORDER BY customer_idx
            """);
        Write("labels", $"""
            SELECT DISTINCT t.customer_idx, t.article_idx
            FROM read_parquet({Quote(layout.Transactions)}) t SEMI JOIN {G("targets")} g USING (customer_idx)
            WHERE t.day BETWEEN {c} AND {week.LastDay}
            ORDER BY 1, 2
            """);

        var p = o.Recall.Popularity;
        Write("items", $"""
            WITH s AS (
              SELECT article_idx, count(*) AS sales, count(DISTINCT customer_idx) AS buyers, min(day) AS first_day, max(day) AS last_day,
                     count(*) FILTER (WHERE day >= {c - 7}) AS sales_7d, count(DISTINCT customer_idx) FILTER (WHERE day >= {c - 7}) AS buyers_7d,
                     count(*) FILTER (WHERE day >= {c - 14} AND day < {c - 7}) AS sales_prev_7d,
                     count(*) FILTER (WHERE day >= {c - 21}) AS sales_21d,
                     coalesce({Sum(Decay("day", c, p.HalfLifeDays), $"day >= {c - p.WindowDays}")}, 0) AS decayed_sales,
                     {Mean("price")} AS price_mean, {Mean("(channel = 2)::DOUBLE")} AS online_share
              FROM tx GROUP BY article_idx),
            b AS (
              SELECT article_idx, {Sum(Decay("last", c, p.HalfLifeDays))} AS decayed_buyers
              FROM (SELECT article_idx, customer_idx, max(day) AS last FROM tx WHERE day >= {c - p.WindowDays} GROUP BY ALL)
              GROUP BY article_idx),
            r AS (
              SELECT article_idx, {Mean("(days >= 2)::DOUBLE")} AS repurchase_rate
              FROM (SELECT article_idx, customer_idx, count(DISTINCT day) AS days FROM tx GROUP BY ALL) GROUP BY article_idx),
            a AS (
              SELECT t.article_idx, {Mean("cu.age")} AS buyer_age_mean
              FROM tx t JOIN read_parquet({Quote(layout.Customers)}) cu USING (customer_idx) GROUP BY t.article_idx),
            wh AS (
              SELECT article_idx, sum(n) AS sales_all, count(*) AS buyers_all, {Mean("(days >= 2)::DOUBLE")} AS repurchase_rate_all,
                     {Mean("CASE WHEN days >= 2 THEN (last_day - first_day) / (days - 1) END")} AS gap_all
              FROM ({WholeHistory.Pairs(layout)}) GROUP BY article_idx),
            ly AS (
              SELECT article_idx, count(*) AS n FROM year_ago GROUP BY article_idx),
            types AS (
              SELECT ar.product_type_no, sum(wh.sales_all) AS sales_all, sum(ly.n) AS last_year
              FROM wh JOIN articles ar USING (article_idx) LEFT JOIN ly USING (article_idx) WHERE ar.product_type_no IS NOT NULL GROUP BY ALL),
            t AS (
              SELECT s.* EXCLUDE (article_idx), wh.*, coalesce(b.decayed_buyers, 0) AS decayed_buyers, a.buyer_age_mean, r.repurchase_rate,
                     least(greatest((s.sales_7d + 1.0) / (s.sales_prev_7d + 1.0), 0.5), 2.0) AS trend,
                     CASE WHEN {yearAgoReached} THEN coalesce(ly.n, 0) END AS last_year_sales,
                     CASE WHEN {yearAgoReached} THEN coalesce(ly.n, 0) / wh.sales_all END AS last_year_share,
                     CASE WHEN {yearAgoReached} THEN coalesce(ty.last_year, 0) / ty.sales_all END AS type_last_year_share
              FROM wh LEFT JOIN s USING (article_idx) LEFT JOIN b USING (article_idx) LEFT JOIN a USING (article_idx) LEFT JOIN r USING (article_idx)
              LEFT JOIN ly USING (article_idx) LEFT JOIN articles ar USING (article_idx) LEFT JOIN types ty ON ty.product_type_no = ar.product_type_no)
            SELECT *, (decayed_sales + decayed_buyers) / 2 * trend AS popularity, coalesce(sales, 0) >= {o.Ingest.MinItemPurchases} AS eligible
            FROM t ORDER BY article_idx
            """);
        Write("popularity", $"""
            SELECT article_idx, popularity AS score FROM {G("items")}
            WHERE eligible AND popularity > 0 ORDER BY popularity DESC, article_idx LIMIT {p.TopN}
            """);

        // Then each strategy's own tables, in the strategies' order.
        foreach (var strategy in RecallStrategies.Registered)
        {
            strategy.WriteWeekTables(session, context);
        }

        var (targets, targetUsers) = session.Count(targetsPath);
        return new StageOutput(targetsPath, targets, targetUsers, clock.Elapsed.TotalSeconds, Skipped: false);
    }
}
