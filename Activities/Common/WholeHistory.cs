namespace HmRec.Activities.Common;

/// <summary>
/// Every customer's whole history before a label week's cutoff, compactly. Ingest keeps the last weeks of
/// transactions row by row (transactions.parquet, the window every cutoff lies in) and aggregates everything older
/// per (customer, article) (history_pairs.parquet) and per customer (history_customers.parquet). The two parts
/// never overlap in days, so the whole history of a pair is the older aggregate combined with the window's rows
/// before the cutoff: first and last day by min and max, days and rows by sums.
/// </summary>
public static class WholeHistory
{
    /// <summary>
    /// SQL of <c>customer_idx, article_idx, first_day, last_day, days, n</c> (distinct days bought, rows) over the whole
    /// history before the cutoff, from the view <c>tx</c> (the window's transactions before the cutoff) and the older
    /// pairs; only the customers of <paramref name="usersTable"/> when given. <paramref name="window"/> names a table of
    /// the window's rows before the cutoff already restricted to those customers, read instead of <c>tx</c>.
    /// </summary>
    public static string Pairs(RunLayout layout, string? usersTable = null, string? window = null)
    {
        var users = usersTable is null ? "" : $"SEMI JOIN {usersTable} USING (customer_idx)";
        var rows = window ?? $"tx {users}";
        return $"""
            SELECT customer_idx, article_idx, min(first_day) AS first_day, max(last_day) AS last_day, sum(days)::INTEGER AS days, sum(n)::INTEGER AS n
            FROM (
              SELECT customer_idx, article_idx, first_day, last_day, days, n FROM read_parquet({DuckDb.Quote(layout.HistoryPairs)}) {users}
              UNION ALL
              SELECT customer_idx, article_idx, min(day), max(day), count(DISTINCT day)::INTEGER, count(*)::INTEGER FROM {rows} GROUP BY ALL)
            GROUP BY customer_idx, article_idx
            """;
    }

    /// <summary>
    /// SQL of <c>customer_idx, article_idx, score, last_day, n</c> over the whole history before the cutoff: the score
    /// adds, for each purchase in the last <paramref name="windowDays"/> days, its weight halving every
    /// <paramref name="halfLifeDays"/>; a pair's older purchases, kept only as counts, weigh as if bought on its last
    /// older day. <paramref name="usersFilter"/> restricts the customers (<c>SEMI JOIN t USING (customer_idx)</c> or empty).
    /// </summary>
    public static string DecayedScores(RunLayout layout, string usersFilter, int cutoff, double halfLifeDays, int windowDays) => $"""
        SELECT customer_idx, article_idx, {AnalyticsSession.Sum("score")} AS score, max(last_day) AS last_day, sum(n)::INTEGER AS n
        FROM (
          SELECT customer_idx, article_idx, n * {AnalyticsSession.Decay("last_day", cutoff, halfLifeDays)} AS score, last_day, n
          FROM read_parquet({DuckDb.Quote(layout.HistoryPairs)}) {usersFilter} WHERE last_day >= {cutoff - windowDays}
          UNION ALL
          SELECT customer_idx, article_idx, {AnalyticsSession.Sum(AnalyticsSession.Decay("day", cutoff, halfLifeDays))}, max(day), count(*)
          FROM tx {usersFilter} WHERE day >= {cutoff - windowDays} GROUP BY customer_idx, article_idx)
        GROUP BY customer_idx, article_idx
        """;

    /// <summary>
    /// SQL of <c>customer_idx, first_day, last_day, days, n</c> over the whole history before the cutoff (see
    /// <see cref="Pairs"/>), for the customers of <paramref name="usersTable"/>, whose window rows are in <paramref name="window"/>.
    /// </summary>
    public static string Customers(RunLayout layout, string usersTable, string window) => $"""
        SELECT customer_idx, min(first_day) AS first_day, max(last_day) AS last_day, sum(days)::INTEGER AS days, sum(n)::INTEGER AS n
        FROM (
          SELECT customer_idx, first_day, last_day, days, n FROM read_parquet({DuckDb.Quote(layout.HistoryCustomers)}) SEMI JOIN {usersTable} USING (customer_idx)
          UNION ALL
          SELECT customer_idx, min(day), max(day), count(DISTINCT day)::INTEGER, count(*)::INTEGER FROM {window} GROUP BY ALL)
        GROUP BY customer_idx
        """;
}
