using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>Best sellers: the same most-sold items of the last days before the cutoff for every user.</summary>
public sealed record BestSellerOptions : IRecallStrategyOptions
{
    /// <summary>Items per user (default 12; at least 12 keeps the simple rule's fill among the candidates).</summary>
    [Range(1, 1000)] public int TopN { get; init; } = 12;

    /// <summary>Days of sales counted (default 7: last week's best sellers).</summary>
    [Range(1, 3650)] public int WindowDays { get; init; } = 7;
}

/// <summary>
/// The <c>bestsellers</c> recall strategy (options: <c>Recall.BestSellers</c>). Last days' best sellers by count, the same list for every user.
/// </summary>
internal sealed class BestSellersStrategy() : RecallStrategy<BestSellerOptions>(RecallStrategies.BestSellers, r => r.BestSellers)
{
    protected override string Candidates(RecallContext context, BestSellerOptions options) => $"""
        WITH best AS (
          SELECT article_idx, count(*)::DOUBLE AS n FROM tx SEMI JOIN {context.Eligible} e USING (article_idx)
          WHERE day >= {context.Cutoff - options.WindowDays} GROUP BY article_idx
          ORDER BY n DESC, article_idx LIMIT {options.TopN})
        SELECT t.customer_idx, b.article_idx, b.n AS score FROM targets t CROSS JOIN best b
        """;
}
