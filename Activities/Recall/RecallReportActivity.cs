namespace HmRec.Activities.Recall;

/// <summary>
/// Measures every strategy and the merged candidates against each label week's purchases and writes
/// recall/report.json. Every strategy should add purchases the others miss; where one does not in the
/// validation week, the report says so.
/// </summary>
public static class RecallReportActivity
{
    public const string Name = "RecallReport";

    /// <summary>The activity: it reads every week's recall and candidates.</summary>
    public static readonly ActivityDefinition<ReportTask, RecallReport> Definition = new(Name, (_, t) => t.RunDirectory,
        _ => ["recall/**", "candidates/**"], ActivityDefinition<ReportTask, RecallReport>.OnThreadPool(Run));

    /// <summary>The candidate counts per user at which each strategy's recall is reported.</summary>
    public static readonly IReadOnlyList<int> Cuts = [1, 2, 4, 6, 8, 12, 16, 20, 24, 30, 40, 50, 75, 100];

    public static RecallReport Run(ReportTask task)
    {
        var layout = new RunLayout(task.RunDirectory);
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        var reports = new List<RecallWeekReport>();
        foreach (var week in task.Weeks)
        {
            var w = week.Week;
            session.Execute($"""
                CREATE OR REPLACE TABLE labels AS SELECT * FROM read_parquet({Quote(layout.Global(w, "labels"))});
                CREATE OR REPLACE TABLE cand AS SELECT * FROM read_parquet({Quote(layout.WeekCandidates(w))});
                """);
            var targets = session.Scalar<long>($"SELECT count(*) FROM read_parquet({Quote(layout.Global(w, "targets"))})");
            var labels = session.Scalar<long>("SELECT count(*) FROM labels");
            var rows = new List<RecallReportRow>();
            foreach (var strategy in RecallStrategies.All.Append("merged"))
            {
                var filter = strategy == "merged" ? "true" : $"from_{strategy} = 1";
                var unique = strategy == "merged" ? "0::BIGINT" : $"count(*) FILTER (WHERE l.customer_idx IS NOT NULL AND n_strategies = 1)";
                using var r = session.Connection.Query($"""
                    SELECT count(DISTINCT c.customer_idx) AS users, count(*) AS candidates,
                           count(l.customer_idx) AS hits, count(DISTINCT l.customer_idx) AS hit_users, {unique} AS unique_hits
                    FROM cand c LEFT JOIN labels l ON l.customer_idx = c.customer_idx AND l.article_idx = c.article_idx
                    WHERE {filter}
                    """);
                var x = r.ReadAll();
                long V(string name) => x.Get<long>(name).Values[0];
                rows.Add(new RecallReportRow(strategy, V("users"), V("candidates"),
                    targets == 0 ? 0 : (double)V("candidates") / targets, V("hits"),
                    labels == 0 ? 0 : (double)V("hits") / labels, targets == 0 ? 0 : (double)V("hit_users") / targets, V("unique_hits"))
                {
                    // The curves of the validation week only: they size the strategies, and keep the activity's result small.
                    RecallAt = strategy == "merged" || w != 0 ? null : Curve(session, strategy, labels),
                });
            }
            reports.Add(new RecallWeekReport(w, targets, labels, rows));
        }
        var notes = new List<string>();
        if (reports.FirstOrDefault(r => r.Week == 0) is { Labels: > 0 } validation)
        {
            notes.AddRange(validation.Rows.Where(r => r.Strategy != "merged" && r.UniqueHits == 0)
                .Select(r => $"{r.Strategy} finds no validation purchase that the other strategies miss."));
        }
        var report = new RecallReport(reports, notes);
        JsonFile.Write(layout.RecallReport, report);
        return report;
    }

    /// <summary>Recall of the strategy's first N candidates per user (its own order: score, then article) for each cut.</summary>
    private static Dictionary<string, double> Curve(AnalyticsSession session, string strategy, long labels)
    {
        var counts = string.Join(", ", Cuts.Select(n => $"count(*) FILTER (WHERE hit AND k <= {n}) AS at{n}"));
        using var r = session.Connection.Query($"""
            SELECT {counts} FROM (
              SELECT l.customer_idx IS NOT NULL AS hit,
                     row_number() OVER (PARTITION BY c.customer_idx ORDER BY c.{strategy}_score DESC, c.article_idx) AS k
              FROM cand c LEFT JOIN labels l ON l.customer_idx = c.customer_idx AND l.article_idx = c.article_idx
              WHERE c.from_{strategy} = 1)
            """);
        var x = r.ReadAll();
        return Cuts.ToDictionary(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            n => labels == 0 ? 0 : x.Get<long>($"at{n}").Values[0] / (double)labels);
    }
}
