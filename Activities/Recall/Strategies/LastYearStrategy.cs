using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>
/// The same weeks last year: what the user bought a year before the label week (one week either side), the same
/// articles first, then the best sellers of the last days in the product types bought then.
/// </summary>
public sealed record LastYearOptions : IRecallStrategyOptions
{
    /// <summary>Candidates per user (default 20).</summary>
    [Range(1, 1000)] public int TopN { get; init; } = 20;

    /// <summary>The best sellers kept per product type (default 10).</summary>
    [Range(1, 1000)] public int ItemsPerType { get; init; } = 10;
}

/// <summary>
/// The <c>lastyear</c> recall strategy (options: <c>Recall.LastYear</c>). What the user bought a year before this week, then the best sellers of the product types bought then.
/// <para>What the user bought a year before this week (one week either side): those articles first (score above 1), then the product types bought then, each as its share of those purchases times its best sellers' shares of its recent sales.</para>
/// </summary>
internal sealed class LastYearStrategy() : RecallStrategy<LastYearOptions>(RecallStrategies.LastYear, r => r.LastYear)
{
    protected override string Candidates(RecallContext context, LastYearOptions options)
    {
        var layout = context.Layout;
        var week = context.Week.Week;
        return $"""
            WITH ly AS (
              SELECT customer_idx, article_idx, count(*) AS n FROM read_parquet({Quote(layout.YearAgo)}) SEMI JOIN targets USING (customer_idx)
              WHERE week BETWEEN {week + 51} AND {week + 53} GROUP BY ALL),
            types AS (
              SELECT ly.customer_idx, a.product_type_no AS category, sum(ly.n) / sum(sum(ly.n)) OVER (PARTITION BY ly.customer_idx) AS share
              FROM ly JOIN read_parquet({Quote(layout.Articles)}) a USING (article_idx) WHERE a.product_type_no IS NOT NULL
              GROUP BY ly.customer_idx, a.product_type_no)
            SELECT customer_idx, article_idx, max(score) AS score FROM (
              SELECT customer_idx, article_idx, 1.0 + n AS score FROM ly
              UNION ALL
              SELECT t.customer_idx, tt.article_idx, t.share * tt.item_score FROM types t JOIN {context.Global("type_tops")} tt USING (category))
            GROUP BY customer_idx, article_idx
            """;
    }

    public override IReadOnlyList<string> WeekTables => ["type_tops"];

    /// <summary>The best sellers of each product type, as the category strategy's tops (its recency options).</summary>
    protected override void WriteWeekTables(AnalyticsSession session, RecallWeekContext week, LastYearOptions options) =>
        session.CopyToParquet(CategoryStrategy.Tops(week, "product_type_no", options.ItemsPerType), week.GlobalPath("type_tops"));
}
