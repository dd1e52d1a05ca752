namespace HmRec.Shared.Options;

/// <summary>Same product code: other colours and variants of the products the user bought, the popular ones first.</summary>
public sealed record SameCodeOptions
{
    /// <summary>Candidates per user (default 24).</summary>
    public int TopN { get; init; } = 24;

    /// <summary>The user's most recently bought items whose product codes are used (default 20).</summary>
    public int SeedItems { get; init; } = 20;

    /// <summary>A seed bought this many days ago counts half (default 60).</summary>
    public double HalfLifeDays { get; init; } = 60;
}
