namespace HmRec.Activities.Options;

/// <summary>User-KNN: users with overlapping items (cosine on item sets), and what they bought recently.</summary>
public sealed record UserKnnOptions : IStrategyOptions
{
    /// <summary>Candidates per user (default 16).</summary>
    public int TopN { get; init; } = 16;

    /// <summary>Neighbours per user (default 30).</summary>
    public int Neighbours { get; init; } = 30;

    /// <summary>Weeks of purchases that define a user's item set (default 12).</summary>
    public int WindowWeeks { get; init; } = 12;

    /// <summary>The user's most recent distinct items used to find neighbours (default 20).</summary>
    public int SeedItems { get; init; } = 20;

    /// <summary>Only an item's most recent buyers are considered, so best-sellers do not make everyone a neighbour (default 100).</summary>
    public int MaxBuyersPerItem { get; init; } = 100;

    /// <summary>Neighbours' purchases within this many days are recommended (default 28).</summary>
    public int ItemWindowDays { get; init; } = 28;

    /// <summary>A neighbour's purchase this many days old counts half (default 14).</summary>
    public double HalfLifeDays { get; init; } = 14;

    /// <summary>Checks every value, naming the option (<c>Recall.UserKnn.*</c>) and the allowed range.</summary>
    public void Validate()
    {
        RecallOptions.Check("Recall.UserKnn.TopN", TopN, 1, 1000);
        RecallOptions.Check("Recall.UserKnn.Neighbours", Neighbours, 1, 10_000);
        RecallOptions.Check("Recall.UserKnn.WindowWeeks", WindowWeeks, 1, 520);
        RecallOptions.Check("Recall.UserKnn.SeedItems", SeedItems, 1, 1000);
        RecallOptions.Check("Recall.UserKnn.MaxBuyersPerItem", MaxBuyersPerItem, 1, 1_000_000);
        RecallOptions.Check("Recall.UserKnn.ItemWindowDays", ItemWindowDays, 1, 3650);
        RecallOptions.CheckPositive("Recall.UserKnn.HalfLifeDays", HalfLifeDays);
    }
}
