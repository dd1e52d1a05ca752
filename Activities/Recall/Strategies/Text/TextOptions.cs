namespace HmRec.Activities.Options;

/// <summary>
/// Text similarity: TF-IDF over the article text fields reduced to a dense vector; a user's profile is the
/// decayed mean of the vectors of the items they bought; candidates are the recently sold items closest to it.
/// </summary>
public sealed record TextOptions : IStrategyOptions
{
    /// <summary>Candidates per user (default 12).</summary>
    public int TopN { get; init; } = 12;

    /// <summary>Length of the dense article vector (default 32).</summary>
    public int Dimensions { get; init; } = 32;

    /// <summary>Items scored per user: the best-sellers of the last <see cref="PoolDays"/> (default 2000).</summary>
    public int PoolSize { get; init; } = 2000;

    /// <summary>Days of sales that define the pool (default 28).</summary>
    public int PoolDays { get; init; } = 28;

    /// <summary>The user's most recent distinct items in the profile (default 20).</summary>
    public int ProfileItems { get; init; } = 20;

    /// <summary>An item bought this many days ago weighs half in the profile (default 30).</summary>
    public double HalfLifeDays { get; init; } = 30;

    /// <summary>Checks every value, naming the option (<c>Recall.Text.*</c>) and the allowed range.</summary>
    public void Validate()
    {
        RecallOptions.Check("Recall.Text.TopN", TopN, 1, 1000);
        RecallOptions.Check("Recall.Text.Dimensions", Dimensions, 2, 1024);
        RecallOptions.Check("Recall.Text.PoolSize", PoolSize, 1, 1_000_000);
        RecallOptions.Check("Recall.Text.PoolDays", PoolDays, 1, 3650);
        RecallOptions.Check("Recall.Text.ProfileItems", ProfileItems, 1, 1000);
        RecallOptions.CheckPositive("Recall.Text.HalfLifeDays", HalfLifeDays);
    }
}
