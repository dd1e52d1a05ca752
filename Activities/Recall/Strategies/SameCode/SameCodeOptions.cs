namespace HmRec.Activities.Options;

/// <summary>Same product code: other colours and variants of the products the user bought, the popular ones first.</summary>
public sealed record SameCodeOptions : IStrategyOptions
{
    /// <summary>Candidates per user (default 30).</summary>
    public int TopN { get; init; } = 30;

    /// <summary>The user's most recently bought items whose product codes are used (default 40).</summary>
    public int SeedItems { get; init; } = 40;

    /// <summary>A seed bought this many days ago counts half (default 60).</summary>
    public double HalfLifeDays { get; init; } = 60;

    /// <summary>Checks every value, naming the option (<c>Recall.SameCode.*</c>) and the allowed range.</summary>
    public void Validate()
    {
        RecallOptions.Check("Recall.SameCode.TopN", TopN, 1, 1000);
        RecallOptions.Check("Recall.SameCode.SeedItems", SeedItems, 1, 1000);
        RecallOptions.CheckPositive("Recall.SameCode.HalfLifeDays", HalfLifeDays);
    }
}
