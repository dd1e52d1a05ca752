namespace HmRec.Training.Gpu.Training;

/// <summary>
/// A small features folder in the pipeline's layout (<c>week=W/shard=0.parquet</c>) with a planted signal,
/// for smoke tests of the worker where no pipeline has run (a fresh GPU machine, the dispatch tests):
/// <c>users</c> users x 10 candidates per labelled week (0 = validation, 1..N = training) and a
/// third as many in week −1. The bought candidate carries the user's taste in <c>i_a</c> and a higher
/// <c>ui_a</c>; the other columns are noise, and <c>i_b</c> has missing values.
/// </summary>
public static class SampleFeatures
{
    public static string Write(string folder, int users = 300, int trainingWeeks = 2)
    {
        using var connection = DuckDb.Open();
        for (var week = -1; week <= trainingWeeks; week++)
        {
            var count = week < 0 ? Math.Max(1, users / 3) : users;
            var path = Path.Combine(folder, $"week={week}", "shard=0.parquet");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var w = week.ToString(CultureInfo.InvariantCulture);
            connection.Execute($"""
                COPY (
                  WITH c AS (
                    SELECT u AS customer_idx, k AS article_idx, hash(u, {w}) % 10 = k AS bought,
                           CASE WHEN hash(u, {w}, 1) % 2 = 0 THEN -1 ELSE 1 END AS taste
                    FROM range({count}) t(u), range(10) s(k))
                  SELECT {w}::SMALLINT AS week, customer_idx::INTEGER AS customer_idx, article_idx::INTEGER AS article_idx,
                         (CASE WHEN {w} >= 0 AND bought THEN 1 ELSE 0 END)::TINYINT AS label,
                         taste::FLOAT AS u_a, (hash(customer_idx, 2) % 100 / 100.0)::FLOAT AS u_b,
                         (CASE WHEN bought OR hash(customer_idx, article_idx) % 5 = 0 THEN taste ELSE -taste END)::FLOAT AS i_a,
                         CASE WHEN article_idx = 3 THEN NULL ELSE (hash(article_idx, 3) % 100 / 100.0)::FLOAT END AS i_b,
                         ((CASE WHEN bought THEN 0.8 ELSE 0 END) + hash(customer_idx, article_idx, 4) % 100 / 100.0)::FLOAT AS ui_a,
                         (hash(customer_idx, article_idx, 5) % 100 / 100.0)::FLOAT AS popularity_score,
                         (1 + hash(customer_idx, article_idx, 6) % 3)::FLOAT AS n_strategies
                  FROM c ORDER BY customer_idx, article_idx)
                TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)
                """);
        }
        return folder;
    }
}
