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

    public override IReadOnlyList<string> WeekTables => ["category_tops"];

    public override void WriteWeekTables(AnalyticsSession session, RecallWeekContext week) =>
        session.CopyToParquet(Tops(week, week.Options.Category.Column, week.Options.Category.ItemsPerCategory), week.GlobalPath("category_tops"));

    /// <summary>
    /// The best sellers of each value of an article <paramref name="column"/>: an item's score is its share of its category's
    /// recent sales (a short half-life: fashion sells week to week), so that the user's preference for a category times it is
    /// the mixture P(category) x P(item | category).
    /// </summary>
    internal static string Tops(RecallWeekContext week, string column, int items)
    {
        var cat = week.Options.Category;
        var c = week.Cutoff;
        return $"""
            WITH s AS (
              SELECT a.{column} AS category, t.article_idx, {Sum(Decay("t.day", c, cat.ItemHalfLifeDays))} AS score
              FROM tx t JOIN articles a USING (article_idx)
              SEMI JOIN {week.Eligible} e ON e.article_idx = t.article_idx
              WHERE t.day >= {c - cat.WindowDays} AND a.{column} IS NOT NULL
              GROUP BY a.{column}, t.article_idx),
            shares AS (
              SELECT category, article_idx, score / (sum(round(score * 1e12)::BIGINT) OVER (PARTITION BY category) / 1e12) AS item_score
              FROM s QUALIFY row_number() OVER (PARTITION BY category ORDER BY score DESC, article_idx) <= {items})
            SELECT category, article_idx, item_score FROM shares ORDER BY category, item_score DESC, article_idx
            """;
    }
}
