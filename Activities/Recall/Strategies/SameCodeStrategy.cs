using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>Same product code: other colours and variants of the products the user bought, the popular ones first.</summary>
public sealed record SameCodeOptions : IRecallStrategyOptions
{
    /// <summary>Candidates per user (default 30).</summary>
    [Range(1, 1000)] public int TopN { get; init; } = 30;

    /// <summary>The user's most recently bought items whose product codes are used (default 40).</summary>
    [Range(1, 1000)] public int SeedItems { get; init; } = 40;

    /// <summary>A seed bought this many days ago counts half (default 60).</summary>
    [Positive] public double HalfLifeDays { get; init; } = 60;
}

/// <summary>
/// The <c>samecode</c> recall strategy (options: <c>Recall.SameCode</c>). Other articles (colours, variants) of the product codes the user bought.
/// <para>Other articles of the product codes the user bought (articles without metadata: the code is article_id / 1000), weighted by how recently the seed was bought and by the article's share of its code's recent sales.</para>
/// </summary>
internal sealed class SameCodeStrategy() : RecallStrategy<SameCodeOptions>(RecallStrategies.SameCode, r => r.SameCode)
{
    protected override string Candidates(RecallContext context, SameCodeOptions options) => $"""
        WITH codes AS (
          SELECT article_idx, coalesce(product_code, article_id // 1000) AS code FROM read_parquet({Quote(context.Layout.Articles)})),
        seeds AS (
          SELECT customer_idx, article_idx, {Decay("last_day", context.Cutoff, options.HalfLifeDays)} AS w
          FROM ({WholeHistory.Pairs(context.Layout, "targets")})
          QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, article_idx) <= {options.SeedItems}),
        siblings AS (
          SELECT k.code, k.article_idx, (i.sales_21d + 1.0) / (sum(i.sales_21d + 1) OVER (PARTITION BY k.code)) AS share
          FROM codes k JOIN {context.Global("items")} i USING (article_idx) WHERE i.eligible)
        SELECT s.customer_idx, b.article_idx, {Sum("s.w * b.share")} AS score
        FROM seeds s JOIN codes k USING (article_idx) JOIN siblings b ON b.code = k.code AND b.article_idx <> s.article_idx
        GROUP BY ALL
        """;
}
