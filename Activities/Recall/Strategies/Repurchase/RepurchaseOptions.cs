namespace HmRec.Activities.Options;

/// <summary>
/// Repurchase: the user's own past items over the whole history, scored by recency-decayed frequency; the
/// user's 12 most recently bought items are always kept (the simple rule's items).
/// </summary>
public sealed record RepurchaseOptions : IStrategyOptions
{
    /// <summary>Candidates per user (default 100: the user's history is short, and its items are the most likely repurchases).</summary>
    public int TopN { get; init; } = 100;

    /// <summary>Purchases older than this many days before the cutoff are ignored (default 3650: the whole history).</summary>
    public int WindowDays { get; init; } = 3650;

    /// <summary>The user's most recently bought items kept whatever their score (default 12).</summary>
    public int KeepRecent { get; init; } = 12;

    /// <summary>A purchase this many days old counts half (default 30).</summary>
    public double HalfLifeDays { get; init; } = 30;

    /// <summary>Checks every value, naming the option (<c>Recall.Repurchase.*</c>) and the allowed range.</summary>
    public void Validate()
    {
        RecallOptions.Check("Recall.Repurchase.TopN", TopN, 1, 1000);
        RecallOptions.CheckPositive("Recall.Repurchase.HalfLifeDays", HalfLifeDays);
        RecallOptions.Check("Recall.Repurchase.WindowDays", WindowDays, 1, 3650);
        RecallOptions.Check("Recall.Repurchase.KeepRecent", KeepRecent, 0, 1000);
    }
}
