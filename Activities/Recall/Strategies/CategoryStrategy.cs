using HmRec.Activities.Common;
using static HmRec.Activities.Common.AnalyticsSession;
using static HmRec.Shared.Analytics.DuckDb;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>
/// The <c>category</c> recall strategy (options: <c>Recall.Category</c>). The recent best sellers of the user's favourite categories (sections by default), weighted by the user's share of each.
/// </summary>
internal sealed class CategoryStrategy : RecallStrategy
{
    public override string Name => RecallStrategies.Category;

    protected override (string Query, int TopN) Candidates(RecallContext context)
    {
        var r = context.Options;
        var c = context.Cutoff;
        var layout = context.Layout;
        string G(string table) => context.Global(table);
        return ($"""
            WITH prefs AS (
              SELECT t.customer_idx, a.{r.Category.Column} AS category, {Sum(Decay("t.day", c, r.Category.HalfLifeDays))} AS w
              FROM tx t SEMI JOIN targets USING (customer_idx) JOIN read_parquet({Quote(layout.Articles)}) a USING (article_idx)
              WHERE a.{r.Category.Column} IS NOT NULL GROUP BY ALL),
            shares AS (
              SELECT customer_idx, category, w / (sum(round(w * 1e12)::BIGINT) OVER (PARTITION BY customer_idx) / 1e12) AS pref FROM prefs
              QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY w DESC, category) <= {r.Category.TopCategories})
            SELECT s.customer_idx, ct.article_idx, s.pref * ct.item_score AS score
            FROM shares s JOIN {G("category_tops")} ct USING (category)
            """, r.Category.TopN);
    }
}
