namespace HmRec.Activities.Options;

/// <summary>Popularity: the same top items for every user, from decayed sales, unique buyers and the recent trend.</summary>
public sealed record PopularityOptions : IStrategyOptions
{
    /// <summary>Items per user, and the length of the popularity list (default 12).</summary>
    public int TopN { get; init; } = 12;

    /// <summary>Days of sales counted (default 28).</summary>
    public int WindowDays { get; init; } = 28;

    /// <summary>A sale this many days old counts half (default 7).</summary>
    public double HalfLifeDays { get; init; } = 7;

    /// <summary>Checks every value, naming the option (<c>Recall.Popularity.*</c>) and the allowed range.</summary>
    public void Validate()
    {
        RecallOptions.Check("Recall.Popularity.TopN", TopN, 1, 1000);
        RecallOptions.Check("Recall.Popularity.WindowDays", WindowDays, 7, 3650);
        RecallOptions.CheckPositive("Recall.Popularity.HalfLifeDays", HalfLifeDays);
    }
}
