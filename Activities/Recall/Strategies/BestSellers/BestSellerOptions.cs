namespace HmRec.Activities.Options;

/// <summary>Best sellers: the same most-sold items of the last days before the cutoff for every user.</summary>
public sealed record BestSellerOptions : IStrategyOptions
{
    /// <summary>Items per user (default 12; at least 12 keeps the simple rule's fill among the candidates).</summary>
    public int TopN { get; init; } = 12;

    /// <summary>Days of sales counted (default 7: last week's best sellers).</summary>
    public int WindowDays { get; init; } = 7;

    /// <summary>Checks every value, naming the option (<c>Recall.BestSellers.*</c>) and the allowed range.</summary>
    public void Validate()
    {
        RecallOptions.Check("Recall.BestSellers.TopN", TopN, 1, 1000);
        RecallOptions.Check("Recall.BestSellers.WindowDays", WindowDays, 1, 3650);
    }
}
