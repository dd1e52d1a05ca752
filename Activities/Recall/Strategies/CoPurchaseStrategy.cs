using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>Co-purchase: items bought together (same customer, same day or week) by Jaccard similarity, expanded from the user's recent items.</summary>
public sealed record CoPurchaseOptions : IRecallStrategyOptions
{
    /// <summary>Candidates per user (default 40).</summary>
    [Range(1, 1000)] public int TopN { get; init; } = 40;

    /// <summary>Weeks of baskets counted (default 12).</summary>
    [Range(1, 520)] public int WindowWeeks { get; init; } = 12;

    /// <summary>What a basket is: one customer's items on one "day" or in one "week" (default week).</summary>
    [AllowedValues("day", "week")] public string Basket { get; init; } = "week";

    /// <summary>Neighbours kept per item (default 20).</summary>
    [Range(1, 1000)] public int Neighbours { get; init; } = 20;

    /// <summary>The user's most recent distinct items that are expanded (default 12).</summary>
    [Range(1, 1000)] public int SeedItems { get; init; } = 12;

    /// <summary>Baskets with more items are skipped: they pair everything with everything (default 40).</summary>
    [Range(2, 10_000)] public int MaxBasket { get; init; } = 40;

    /// <summary>A pair must share at least this many baskets (default 2), so two rare items bought once together do not look identical.</summary>
    [Range(1, 1_000_000)] public int MinCount { get; init; } = 2;

    /// <summary>A seed item bought this many days ago counts half (default 14).</summary>
    [Positive] public double HalfLifeDays { get; init; } = 14;
}

/// <summary>
/// The <c>copurchase</c> recall strategy (options: <c>Recall.CoPurchase</c>). Articles bought together with the user's latest purchases, by the Jaccard similarity of their buyers in the same baskets.
/// </summary>
internal sealed class CoPurchaseStrategy() : RecallStrategy<CoPurchaseOptions>(RecallStrategies.CoPurchase, r => r.CoPurchase)
{
    protected override string Candidates(RecallContext context, CoPurchaseOptions options) => $"""
        WITH seeds AS (
          SELECT customer_idx, article_idx, {Decay("last_day", context.Cutoff, options.HalfLifeDays)} AS w
          FROM (SELECT customer_idx, article_idx, max(day) AS last_day FROM tx SEMI JOIN targets USING (customer_idx) GROUP BY ALL)
          QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, article_idx) <= {options.SeedItems})
        SELECT s.customer_idx, p.b AS article_idx, {Sum("s.w * p.jaccard")} AS score
        FROM seeds s JOIN {context.Global("copurchase")} p ON p.a = s.article_idx
        GROUP BY ALL
        """;

    public override IReadOnlyList<string> WeekTables => ["copurchase"];

    /// <summary>
    /// Each eligible article's nearest neighbours by the Jaccard similarity of the baskets (a customer's day, or week) that
    /// hold it, over the last weeks: <c>a, b, co, jaccard</c>.
    /// </summary>
    protected override void WriteWeekTables(AnalyticsSession session, RecallWeekContext week, CoPurchaseOptions cp)
    {
        var c = week.Cutoff;
        var basket = cp.Basket == "day" ? "day" : $"({c} - 1 - day) // 7";
        session.Execute($"""
            CREATE TABLE baskets AS
            SELECT * FROM (SELECT DISTINCT customer_idx, {basket} AS basket, article_idx FROM tx WHERE day >= {c - 7 * cp.WindowWeeks})
            QUALIFY count(*) OVER (PARTITION BY customer_idx, basket) <= {cp.MaxBasket};
            """);
        session.CopyToParquet($"""
            WITH n AS (SELECT article_idx, count(*) AS n FROM baskets GROUP BY article_idx),
            pairs AS (
              SELECT x.article_idx AS a, y.article_idx AS b, count(*) AS co
              FROM baskets x JOIN baskets y ON x.customer_idx = y.customer_idx AND x.basket = y.basket AND x.article_idx <> y.article_idx
              GROUP BY ALL HAVING count(*) >= {cp.MinCount})
            SELECT a, b, co, co / (na.n + nb.n - co) AS jaccard
            FROM pairs JOIN n na ON na.article_idx = a JOIN n nb ON nb.article_idx = b
            SEMI JOIN {week.Eligible} e ON e.article_idx = b
            QUALIFY row_number() OVER (PARTITION BY a ORDER BY jaccard DESC, co DESC, b) <= {cp.Neighbours}
            ORDER BY a, jaccard DESC, b
            """, week.GlobalPath("copurchase"));
    }
}
