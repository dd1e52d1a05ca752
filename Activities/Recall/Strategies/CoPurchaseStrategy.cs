using HmRec.Activities.Common;
using static HmRec.Activities.Common.AnalyticsSession;
using static HmRec.Shared.Analytics.DuckDb;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>
/// The <c>copurchase</c> recall strategy (options: <c>Recall.CoPurchase</c>). Articles bought together with the user's latest purchases, by the Jaccard similarity of their buyers in the same baskets.
/// </summary>
internal sealed class CoPurchaseStrategy : RecallStrategy
{
    public override string Name => RecallStrategies.CoPurchase;

    protected override (string Query, int TopN) Candidates(RecallContext context)
    {
        var r = context.Options;
        var c = context.Cutoff;
        string G(string table) => context.Global(table);
        return ($"""
            WITH seeds AS (
              SELECT customer_idx, article_idx, {Decay("last_day", c, r.CoPurchase.HalfLifeDays)} AS w
              FROM (SELECT customer_idx, article_idx, max(day) AS last_day FROM tx SEMI JOIN targets USING (customer_idx) GROUP BY ALL)
              QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, article_idx) <= {r.CoPurchase.SeedItems})
            SELECT s.customer_idx, p.b AS article_idx, {Sum("s.w * p.jaccard")} AS score
            FROM seeds s JOIN {G("copurchase")} p ON p.a = s.article_idx
            GROUP BY ALL
            """, r.CoPurchase.TopN);
    }
}
