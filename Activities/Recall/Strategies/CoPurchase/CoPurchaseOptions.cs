namespace HmRec.Activities.Options;

/// <summary>Co-purchase: items bought together (same customer, same day or week) by Jaccard similarity, expanded from the user's recent items.</summary>
public sealed record CoPurchaseOptions : IStrategyOptions
{
    /// <summary>Candidates per user (default 40).</summary>
    public int TopN { get; init; } = 40;

    /// <summary>Weeks of baskets counted (default 12).</summary>
    public int WindowWeeks { get; init; } = 12;

    /// <summary>What a basket is: one customer's items on one "day" or in one "week" (default week).</summary>
    public string Basket { get; init; } = "week";

    /// <summary>Neighbours kept per item (default 20).</summary>
    public int Neighbours { get; init; } = 20;

    /// <summary>The user's most recent distinct items that are expanded (default 12).</summary>
    public int SeedItems { get; init; } = 12;

    /// <summary>Baskets with more items are skipped: they pair everything with everything (default 40).</summary>
    public int MaxBasket { get; init; } = 40;

    /// <summary>A pair must share at least this many baskets (default 2), so two rare items bought once together do not look identical.</summary>
    public int MinCount { get; init; } = 2;

    /// <summary>A seed item bought this many days ago counts half (default 14).</summary>
    public double HalfLifeDays { get; init; } = 14;

    /// <summary>Checks every value, naming the option (<c>Recall.CoPurchase.*</c>) and the allowed range.</summary>
    public void Validate()
    {
        RecallOptions.Check("Recall.CoPurchase.TopN", TopN, 1, 1000);
        RecallOptions.Check("Recall.CoPurchase.WindowWeeks", WindowWeeks, 1, 520);
        RecallOptions.Check("Recall.CoPurchase.Neighbours", Neighbours, 1, 1000);
        RecallOptions.Check("Recall.CoPurchase.SeedItems", SeedItems, 1, 1000);
        RecallOptions.Check("Recall.CoPurchase.MaxBasket", MaxBasket, 2, 10_000);
        RecallOptions.Check("Recall.CoPurchase.MinCount", MinCount, 1, 1_000_000);
        RecallOptions.CheckPositive("Recall.CoPurchase.HalfLifeDays", HalfLifeDays);
        if (Basket is not ("day" or "week"))
        {
            throw new ArgumentException($"Recall.CoPurchase.Basket must be 'day' or 'week' (got '{Basket}').");
        }
    }
}
