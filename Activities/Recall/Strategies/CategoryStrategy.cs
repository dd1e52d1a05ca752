using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>Category: the user's preferred categories (product types by default) times the popular items within each.</summary>
public sealed record CategoryOptions : IRecallStrategyOptions, IValidatableObject
{
    /// <summary>The articles.csv grouping a category is: the column of each level.</summary>
    public static readonly IReadOnlyDictionary<string, string> Levels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["product_type"] = "product_type_no",
        ["department"] = "department_no",
        ["section"] = "section_no",
        ["garment_group"] = "garment_group_no",
    };

    /// <summary>
    /// What a category is: section (default), department, product_type or garment_group. Sections hold the most
    /// purchases per candidate of the four.
    /// </summary>
    public string Level { get; init; } = "section";

    /// <summary>The articles column of <see cref="Level"/>.</summary>
    public string Column => Levels[Level];

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext context)
    {
        if (!Levels.ContainsKey(Level))
        {
            yield return new ValidationResult($"must be one of {string.Join(", ", Levels.Keys)} (got '{Level}').", [nameof(Level)]);
        }
    }

    /// <summary>Candidates per user (default 40).</summary>
    [Range(1, 1000)] public int TopN { get; init; } = 40;

    /// <summary>The user's strongest categories used (default 4).</summary>
    [Range(1, 1000)] public int TopCategories { get; init; } = 4;

    /// <summary>Popular items kept per category (default 30).</summary>
    [Range(1, 1000)] public int ItemsPerCategory { get; init; } = 30;

    /// <summary>Days of sales that rank items within a category (default 7).</summary>
    [Range(1, 3650)] public int WindowDays { get; init; } = 7;

    /// <summary>A purchase this many days old counts half in the user's category preferences (default 30).</summary>
    [Positive] public double HalfLifeDays { get; init; } = 30;

    /// <summary>
    /// A sale this many days old counts half in an item's share of its category's sales (default 3): ranking by the
    /// last 7 days with this short half-life holds more of the next week's purchases than a longer window with a
    /// longer half-life.
    /// </summary>
    [Positive] public double ItemHalfLifeDays { get; init; } = 3;
}

/// <summary>
/// The <c>category</c> recall strategy (options: <c>Recall.Category</c>). The recent best sellers of the user's favourite categories (sections by default), weighted by the user's share of each.
/// </summary>
internal sealed class CategoryStrategy() : RecallStrategy<CategoryOptions>(RecallStrategies.Category, r => r.Category)
{
    protected override string Candidates(RecallContext context, CategoryOptions options) => $"""
        WITH prefs AS (
          SELECT t.customer_idx, a.{options.Column} AS category, {Sum(Decay("t.day", context.Cutoff, options.HalfLifeDays))} AS w
          FROM tx t SEMI JOIN targets USING (customer_idx) JOIN read_parquet({Quote(context.Layout.Articles)}) a USING (article_idx)
          WHERE a.{options.Column} IS NOT NULL GROUP BY ALL),
        shares AS (
          SELECT customer_idx, category, w / (sum(round(w * 1e12)::BIGINT) OVER (PARTITION BY customer_idx) / 1e12) AS pref FROM prefs
          QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY w DESC, category) <= {options.TopCategories})
        SELECT s.customer_idx, ct.article_idx, s.pref * ct.item_score AS score
        FROM shares s JOIN {context.Global("category_tops")} ct USING (category)
        """;

    public override IReadOnlyList<string> WeekTables => ["category_tops"];

    protected override void WriteWeekTables(AnalyticsSession session, RecallWeekContext week, CategoryOptions options) =>
        session.CopyToParquet(Tops(week, options.Column, options.ItemsPerCategory), week.GlobalPath("category_tops"));

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
