namespace HmRec.Activities.Evaluation;

/// <summary>
/// Stage 4 ensembles of the trained rankers, on rank-normalised scores (1 for a user's top candidate down
/// to 1/n for the last): the plain average, and a weighted sum whose weights are chosen on one half of the
/// validation users and applied to the other (two folds, so every user's scores are out of fold and the
/// evaluation is fair). Writes <c>models/ensemble_average</c> and <c>models/ensemble_weighted</c>
/// (validation.parquet, summary.json with the weights of each fold and of all users).
/// </summary>
public static class EnsembleActivity
{
    public const string Name = "Ensemble";

    /// <summary>The activity: it reads the models' scores, the candidates and the global tables.</summary>
    public static readonly ActivityDefinition<EvaluationTask, EnsembleSummary> Definition = new(Name, (_, t) => t.RunDirectory,
        _ => ["models/**", "candidates/**", "recall/week=*/global/**"], ActivityDefinition<EvaluationTask, EnsembleSummary>.OnThreadPool(Run));
    public const string Average = "ensemble_average";
    public const string Weighted = "ensemble_weighted";

    /// <summary>Weights are searched on a simplex grid with this step.</summary>
    public const double GridStep = 0.2;

    public static EnsembleSummary Run(EvaluationTask task)
    {
        var models = task.Models.Where(m => File.Exists(Scores(task.RunDirectory, m))).ToList();
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        if (models.Count == 0)
        {
            return new EnsembleSummary([], [], [], [], "no trained ranker to combine");
        }
        var layout = new RunLayout(task.RunDirectory);
        var ranks = string.Join(", ", models.Select((m, i) =>
            $"1 - (rank() OVER (PARTITION BY customer_idx ORDER BY s{i} DESC, article_idx) - 1) / count(*) OVER (PARTITION BY customer_idx) AS r{i}"));
        var joins = string.Join(" ", models.Skip(1).Select((m, i) => $"JOIN (SELECT customer_idx, article_idx, score AS s{i + 1} FROM read_parquet({Quote(Scores(task.RunDirectory, m))})) USING (customer_idx, article_idx)"));
        using var result = session.Connection.Query($"""
            SELECT customer_idx, article_idx, {ranks}
            FROM (SELECT customer_idx, article_idx, score AS s0 FROM read_parquet({Quote(Scores(task.RunDirectory, models[0]))})) {joins}
            ORDER BY customer_idx, article_idx
            """);
        var rows = result.ReadAll();
        var users = rows.Get<int>("customer_idx").Values;
        var items = rows.Get<int>("article_idx").Values;
        var normalised = models.Select((_, i) => rows.Get<double>($"r{i}").Values).ToArray();
        var bought = Predictions.ReadLabels(session, layout);

        var average = Combine(normalised, [.. Enumerable.Repeat(1.0 / models.Count, models.Count)], users.Length);
        var fold = users.Select(u => Fold(u, task.Options.Seed)).ToArray();
        var grid = Simplex(models.Count, GridStep).ToList();
        var foldWeights = new double[2][];
        var weighted = new float[users.Length];
        for (var f = 0; f < 2; f++)
        {
            // Choose on fold f, apply to the other fold.
            foldWeights[f] = Best(grid, normalised, users, items, bought, i => fold[i] == f);
            var scores = Combine(normalised, foldWeights[f], users.Length);
            for (var i = 0; i < users.Length; i++)
            {
                if (fold[i] != f)
                {
                    weighted[i] = scores[i];
                }
            }
        }
        // For new data (the submission), the two folds' choices averaged.
        var overall = foldWeights[0].Zip(foldWeights[1], (a, b) => (a + b) / 2).ToArray();

        Write(session, task.RunDirectory, Average, users, items, average);
        Write(session, task.RunDirectory, Weighted, users, items, weighted);
        var summary = new EnsembleSummary(models, overall, foldWeights[0], foldWeights[1], null);
        foreach (var name in new[] { Average, Weighted })
        {
            JsonFile.Write(new RunLayout(task.RunDirectory).Model(name).Summary, summary);
        }
        return summary;
    }

    private static string Scores(string run, string model) => new RunLayout(run).Model(model).Validation;

    /// <summary>A user's fold, from a seeded hash of the user: about half the users in each.</summary>
    internal static int Fold(int user, ulong seed)
    {
        var x = (ulong)user * 0x9E3779B97F4A7C15UL ^ seed;
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9UL;
        return (int)((x >> 40) & 1);
    }

    /// <summary>Every weight vector of <paramref name="models"/> non-negative weights summing to 1 on a grid.</summary>
    internal static IEnumerable<double[]> Simplex(int models, double step)
    {
        var units = (int)Math.Round(1 / step);
        IEnumerable<int[]> Parts(int left, int slots) => slots == 1
            ? [[left]]
            : Enumerable.Range(0, left + 1).Reverse().SelectMany(first => Parts(left - first, slots - 1).Select(rest => (int[])[first, .. rest]));
        return Parts(units, models).Select(p => p.Select(u => u / (double)units).ToArray());
    }

    private static float[] Combine(double[][] normalised, double[] weights, int rows)
    {
        var scores = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            double s = 0;
            for (var m = 0; m < weights.Length; m++)
            {
                s += weights[m] * normalised[m][i];
            }
            scores[i] = (float)s;
        }
        return scores;
    }

    /// <summary>
    /// The grid point with the best MAP@12 over the selected rows' users (first one on ties). Only buyers'
    /// rows are ranked: MAP@12 averages over buyers, and a user's ranking moves no one else's, so the rows
    /// of users who bought nothing (most of them) cannot change the choice.
    /// </summary>
    private static double[] Best(List<double[]> grid, double[][] normalised, int[] users, int[] items, Dictionary<int, HashSet<int>> bought, Func<int, bool> selected)
    {
        var rows = Enumerable.Range(0, users.Length).Where(i => selected(i) && bought.ContainsKey(users[i])).ToArray();
        var u = rows.Select(i => users[i]).ToArray();
        var it = rows.Select(i => items[i]).ToArray();
        var subset = normalised.Select(column => rows.Select(i => column[i]).ToArray()).ToArray();
        var buyers = u.Distinct().Where(bought.ContainsKey).ToDictionary(x => x, x => bought[x]);
        double[] best = grid[0];
        var bestMap = double.NegativeInfinity;
        foreach (var weights in grid)
        {
            var map = RankingMetrics.Evaluate(RankingMetrics.Rank(u, it, Combine(subset, weights, u.Length)), buyers).Map12;
            if (map > bestMap + 1e-12)
            {
                bestMap = map;
                best = weights;
            }
        }
        return best;
    }

    private static void Write(AnalyticsSession session, string run, string name, int[] users, int[] items, float[] scores) =>
        ScoreFile.Write(session.Connection, users, items, scores, Scores(run, name));
}
