namespace HmRec.Activities.Evaluation;

/// <summary>What the evaluation-stage activities share: the week's purchases and the age-bucket rule.</summary>
internal static class Predictions
{
    /// <summary>The validation week's purchases per user, optionally only users matching <paramref name="condition"/>.</summary>
    public static Dictionary<int, HashSet<int>> ReadLabels(AnalyticsSession session, RunLayout layout, string condition = "true")
    {
        using var r = session.Connection.Query($"SELECT customer_idx, article_idx FROM read_parquet({Quote(layout.Global(0, "labels"))}) WHERE {condition}");
        var rows = r.ReadAll();
        var users = rows.Get<int>("customer_idx").Values;
        var items = rows.Get<int>("article_idx").Values;
        var bought = new Dictionary<int, HashSet<int>>();
        for (var i = 0; i < users.Length; i++)
        {
            (bought.TryGetValue(users[i], out var set) ? set : bought[users[i]] = []).Add(items[i]);
        }
        return bought;
    }

    /// <summary>
    /// SQL of (customer_idx, article_idx, n) for the users of <paramref name="usersTable"/>: the 12 best sellers of the
    /// last 7 days before <paramref name="cutoff"/> among buyers of the user's age bucket (&lt;25, 25-34, 35-44, 45-54, 55+, unknown).
    /// </summary>
    public static string AgeBucketTops(string customersParquet, string usersTable, int cutoff) => $"""
        WITH bucket AS (
          SELECT customer_idx, CASE WHEN age IS NULL THEN -1 WHEN age < 25 THEN 0 WHEN age < 35 THEN 1 WHEN age < 45 THEN 2 WHEN age < 55 THEN 3 ELSE 4 END AS b
          FROM read_parquet({Quote(customersParquet)})),
        tops AS (
          SELECT b, article_idx, count(*) AS n FROM tx JOIN bucket USING (customer_idx) WHERE day >= {cutoff - 7} GROUP BY b, article_idx
          QUALIFY row_number() OVER (PARTITION BY b ORDER BY count(*) DESC, article_idx) <= 12)
        SELECT u.customer_idx, tops.article_idx, tops.n FROM {usersTable} u JOIN bucket USING (customer_idx) JOIN tops USING (b)
        """;
}
