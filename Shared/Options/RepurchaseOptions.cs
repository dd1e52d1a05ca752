namespace HmRec.Shared.Options;

/// <summary>Repurchase: the user's own past items, scored by recency-decayed frequency.</summary>
public sealed record RepurchaseOptions
{
    /// <summary>Candidates per user (default 30).</summary>
    public int TopN { get; init; } = 30;

    /// <summary>Purchases older than this many days before the cutoff are ignored (default 180).</summary>
    public int WindowDays { get; init; } = 180;

    /// <summary>A purchase this many days old counts half (default 30).</summary>
    public double HalfLifeDays { get; init; } = 30;
}
