namespace HmRec.Activities.Options;

/// <summary>Category: the user's preferred categories (product types by default) times the popular items within each.</summary>
public sealed record CategoryOptions : IStrategyOptions
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

    public void Validate()
    {
        RecallOptions.Check("Recall.Category.TopN", TopN, 1, 1000);
        RecallOptions.Check("Recall.Category.TopCategories", TopCategories, 1, 1000);
        RecallOptions.Check("Recall.Category.ItemsPerCategory", ItemsPerCategory, 1, 1000);
        RecallOptions.Check("Recall.Category.WindowDays", WindowDays, 1, 3650);
        RecallOptions.CheckPositive("Recall.Category.HalfLifeDays", HalfLifeDays);
        RecallOptions.CheckPositive("Recall.Category.ItemHalfLifeDays", ItemHalfLifeDays);
        if (!Levels.ContainsKey(Level))
        {
            throw new ArgumentException($"Recall.Category.Level must be one of {string.Join(", ", Levels.Keys)} (got '{Level}').");
        }
    }

    /// <summary>Candidates per user (default 40).</summary>
    public int TopN { get; init; } = 40;

    /// <summary>The user's strongest categories used (default 4).</summary>
    public int TopCategories { get; init; } = 4;

    /// <summary>Popular items kept per category (default 30).</summary>
    public int ItemsPerCategory { get; init; } = 30;

    /// <summary>Days of sales that rank items within a category (default 7).</summary>
    public int WindowDays { get; init; } = 7;

    /// <summary>A purchase this many days old counts half in the user's category preferences (default 30).</summary>
    public double HalfLifeDays { get; init; } = 30;

    /// <summary>
    /// A sale this many days old counts half in an item's share of its category's sales (default 3): ranking by the
    /// last 7 days with this short half-life holds more of the next week's purchases than a longer window with a
    /// longer half-life.
    /// </summary>
    public double ItemHalfLifeDays { get; init; } = 3;
}
