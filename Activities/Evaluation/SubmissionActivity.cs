namespace HmRec.Activities.Evaluation;

/// <summary>
/// The pipeline's answer: <c>submission.csv</c> in the competition's format (<c>customer_id,prediction</c>,
/// twelve zero-padded article ids separated by spaces) for every customer in customers.csv. The users of the
/// week after the data with candidates are ranked by the trained rankers combined with the weighted
/// ensemble's weights (rank-normalised scores); every list is completed, and every other customer served,
/// by the best baseline of the evaluation (then the popularity list). The file is checked after it is written.
/// </summary>
public static class SubmissionActivity
{
    public const string Name = "Submission";

    /// <summary>The activity: it reads widely (every model's test scores, the week after the data's candidates, the ingest tables): the whole run.</summary>
    public static readonly ActivityDefinition<EvaluationTask, SubmissionSummary> Definition = new(Name, (_, t) => t.RunDirectory,
        _ => ["**"], ActivityDefinition<EvaluationTask, SubmissionSummary>.OnThreadPool(Run));

    /// <summary>Zero or more 10-digit article ids separated by single spaces.</summary>
    private const string IdList = @"(\d{10}( \d{10})*)?";

    public static SubmissionSummary Run(EvaluationTask task)
    {
        var clock = Stopwatch.StartNew();
        var layout = new RunLayout(task.RunDirectory);
        var output = layout.Submission;
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        var ingest = Ingest.Ingestor.ReadManifest(layout.IngestDirectory) ?? throw new InvalidOperationException("The run has no ingest output.");
        var week = LabelWeek.Next(ingest.LastDay);
        var c = week.CutoffDay;

        var (rankers, weights) = Ensemble(task);
        // Each model's scores of the week after the data, rank-normalised per user and combined with the
        // ensemble's weights (fixed-point sums, so the order of the parallel sum cannot change a score).
        var parts = rankers.Select((r, m) =>
            $"SELECT customer_idx, article_idx, {Num(weights[m])} * (1 - (rank() OVER (PARTITION BY customer_idx ORDER BY score DESC, article_idx) - 1) / count(*) OVER (PARTITION BY customer_idx)) AS s FROM read_parquet({Quote(layout.Model(r.Model).Test)})")
            .DefaultIfEmpty("SELECT NULL::INTEGER AS customer_idx, NULL::INTEGER AS article_idx, NULL::DOUBLE AS s WHERE false");
        session.Execute($"""
            CREATE TABLE model_scores AS
              SELECT customer_idx, article_idx, {Sum("s")} AS score FROM ({string.Join(" UNION ALL ", parts)}) GROUP BY customer_idx, article_idx
            """);

        var repurchase = task.Options.Recall.Repurchase;
        var fallback = task.Fallback ?? BaselinesActivity.RepurchaseThenPopular;
        session.Execute($"""
            CREATE VIEW tx AS SELECT * FROM read_parquet({Quote(layout.Transactions)}) WHERE day < {c};
            CREATE TABLE customers AS SELECT customer_idx, customer_id, age FROM read_parquet({Quote(layout.Customers)}) WHERE in_customers_file;
            CREATE TABLE popular AS SELECT article_idx, score FROM read_parquet({Quote(layout.Global(week.Week, "popularity"))}) ORDER BY score DESC, article_idx LIMIT 12;
            CREATE TABLE last_week AS SELECT article_idx, count(*) AS n FROM tx WHERE day >= {c - 7} GROUP BY ALL ORDER BY n DESC, article_idx LIMIT 12;
            """);
        // The fallback is the best baseline of the evaluation, computed for every customer the same way as for
        // the validation week; the popularity list completes every list.
        var fallbackRows = fallback switch
        {
            BaselinesActivity.GlobalTop => "SELECT cu.customer_idx, l.article_idx, 1 AS p, -l.n::DOUBLE AS o FROM customers cu CROSS JOIN last_week l",
            BaselinesActivity.Popularity => "SELECT customer_idx, article_idx, 1 AS p, 0::DOUBLE AS o FROM model_scores WHERE false",
            BaselinesActivity.AgeBucket => $"SELECT customer_idx, article_idx, 1 AS p, -n::DOUBLE AS o FROM ({Predictions.AgeBucketTops(layout.Customers, "customers", c)})",
            BaselinesActivity.RecentThenTop12 => BaselinesActivity.RecentThenTop12Rows(layout, "customers", 1),
            _ => $"""
                SELECT customer_idx, article_idx, 1 AS p, -score AS o
                FROM ({WholeHistory.DecayedScores(layout, "", c, repurchase.HalfLifeDays, repurchase.WindowDays)})
                """,
        };
        session.Execute($"""
            CREATE TABLE ranked AS
              SELECT customer_idx, article_idx, row_number() OVER (PARTITION BY customer_idx ORDER BY p, o, article_idx) AS rank
              FROM (
                SELECT * FROM (
                  SELECT customer_idx, article_idx, 0 AS p, -score AS o FROM model_scores
                  UNION ALL SELECT customer_idx, article_idx, p, o FROM ({fallbackRows})
                  UNION ALL SELECT cu.customer_idx, p.article_idx, 2, -p.score FROM customers cu CROSS JOIN popular p)
                QUALIFY row_number() OVER (PARTITION BY customer_idx, article_idx ORDER BY p, o) = 1)
              QUALIFY rank <= 12;
            """);
        var temp = $"{output}.tmp-{Environment.ProcessId}";
        session.Execute($"""
            COPY (
              SELECT cu.customer_id, coalesce(string_agg(lpad(a.article_id::VARCHAR, 10, '0'), ' ' ORDER BY r.rank), '') AS prediction
              FROM customers cu
              LEFT JOIN ranked r USING (customer_idx)
              LEFT JOIN read_parquet({Quote(layout.Articles)}) a ON a.article_idx = r.article_idx
              GROUP BY cu.customer_id ORDER BY cu.customer_id)
            TO {Quote(temp)} (FORMAT csv, HEADER true, DELIMITER ',')
            """);
        Check(session, temp, layout);
        File.Move(temp, output, overwrite: true);
        var customers = session.Scalar<long>("SELECT count(*) FROM customers");
        var byModels = session.Scalar<long>("SELECT count(DISTINCT m.customer_idx) FROM model_scores m SEMI JOIN customers USING (customer_idx)");
        var source = rankers.Count == 0 ? "repurchase-then-popular only (no trained ranker)" : string.Join(" + ", rankers.Select((r, i) => $"{weights[i]:0.##} {r.Model}"));
        return new SubmissionSummary(output, customers, byModels, customers - byModels, source, fallback, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The trained rankers and the weighted ensemble's weights for them (equal when there is no ensemble).</summary>
    private static (List<ModelSummary> Rankers, double[] Weights) Ensemble(EvaluationTask task)
    {
        var layout = new RunLayout(task.RunDirectory);
        var trained = task.Models
            .Select(m => layout.Model(m).Summary)
            .Where(File.Exists)
            .Select(p => JsonSerializer.Deserialize<ModelSummary>(File.ReadAllText(p))!)
            .Where(s => s.NotTrained is null && File.Exists(layout.Model(s.Model).Test))
            .ToList();
        var ensemblePath = layout.Model(EnsembleActivity.Weighted).Summary;
        if (File.Exists(ensemblePath) && JsonSerializer.Deserialize<EnsembleSummary>(File.ReadAllText(ensemblePath)) is { NotBuilt: null } ensemble)
        {
            var weights = trained.Select(t => ensemble.Models.ToList().IndexOf(t.Model) is var i and >= 0 ? ensemble.Weights[i] : 0).ToArray();
            if (weights.Sum() > 0)
            {
                return (trained, weights);
            }
        }
        return (trained, [.. trained.Select(_ => 1.0 / trained.Count)]);
    }

    /// <summary>Reads the file back: the header, one row per customer, twelve distinct 10-digit ids (or every eligible item when the catalogue is smaller).</summary>
    private static void Check(AnalyticsSession session, string path, RunLayout layout)
    {
        using (var reader = new StreamReader(path))
        {
            if (reader.ReadLine() != "customer_id,prediction")
            {
                throw new InvalidOperationException($"{path}: the header is not 'customer_id,prediction'.");
            }
        }
        var csv = $"read_csv({Quote(path)}, header = true, columns = {{'customer_id': 'VARCHAR', 'prediction': 'VARCHAR'}}, quote = '\"')";
        var expected = session.Scalar<long>("SELECT count(*) FROM customers");
        var rows = session.Scalar<long>($"SELECT count(DISTINCT customer_id) FROM {csv}");
        var total = session.Scalar<long>($"SELECT count(*) FROM {csv}");
        if (rows != expected || total != expected)
        {
            throw new InvalidOperationException($"{path}: {total} rows for {rows} distinct customers; expected one row for each of the {expected} customers.");
        }
        var width = Math.Min(12, session.Scalar<long>("SELECT count(*) FROM popular"));
        var bad = session.Scalar<string>($"""
            SELECT customer_id FROM {csv}
            WHERE NOT regexp_full_match(coalesce(prediction, ''), '{IdList}')
               OR len(list_distinct(string_split(prediction, ' '))) < {width}
               OR len(string_split(prediction, ' ')) > 12
               OR len(list_distinct(string_split(prediction, ' '))) <> len(string_split(prediction, ' '))
            LIMIT 1
            """);
        if (bad is not null)
        {
            throw new InvalidOperationException($"{path}: the prediction of customer {bad} is not {width} to 12 distinct 10-digit article ids separated by spaces.");
        }
    }
}
