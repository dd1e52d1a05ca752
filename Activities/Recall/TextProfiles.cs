namespace HmRec.Activities.Recall;

/// <summary>
/// A user's text profile: the recency-weighted mean of the text vectors of their most recent distinct items,
/// normalised to unit length, as SQL over the views <c>tx</c> (history before the cutoff) and a table of users.
/// Shared by the text recall and the text-similarity feature, so both see the same profile.
/// </summary>
internal static class TextProfiles
{
    /// <summary>SELECT customer_idx, p0..p{d-1} for the users of <paramref name="usersTable"/>.</summary>
    public static string Sql(string usersTable, string vectorsParquet, int cutoffDay, TextOptions options)
    {
        var d = Enumerable.Range(0, options.Dimensions).ToList();
        var sums = string.Join(", ", d.Select(i => $"{Sum($"r.w * v.v{i}")} AS p{i}"));
        var norm = "sqrt(" + string.Join(" + ", d.Select(i => $"p{i} * p{i}")) + ")";
        var unit = string.Join(", ", d.Select(i => $"(p{i} / n)::FLOAT AS p{i}"));
        return $"""
            WITH recent AS (
              SELECT customer_idx, article_idx, {Decay("last_day", cutoffDay, options.HalfLifeDays)} AS w
              FROM (SELECT t.customer_idx, t.article_idx, max(t.day) AS last_day FROM tx t SEMI JOIN {usersTable} u USING (customer_idx) GROUP BY ALL)
              QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, article_idx) <= {options.ProfileItems}),
            raw AS (
              SELECT r.customer_idx, {sums}
              FROM recent r JOIN read_parquet({Quote(vectorsParquet)}) v USING (article_idx) GROUP BY r.customer_idx)
            SELECT customer_idx, {unit} FROM (SELECT *, {norm} AS n FROM raw) WHERE n > 0
            """;
    }
}
