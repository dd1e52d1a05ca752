namespace HmRec.Shared.Options;

/// <summary>Category: the user's preferred product types times the popular items within each.</summary>
public sealed record CategoryOptions
{
    /// <summary>Candidates per user (default 20).</summary>
    public int TopN { get; init; } = 20;

    /// <summary>The user's strongest product types used (default 3).</summary>
    public int TopCategories { get; init; } = 3;

    /// <summary>Popular items kept per product type (default 12).</summary>
    public int ItemsPerCategory { get; init; } = 12;

    /// <summary>Days of sales that rank items within a product type (default 14).</summary>
    public int WindowDays { get; init; } = 14;

    /// <summary>A purchase this many days old counts half, for preferences and item ranking alike (default 30).</summary>
    public double HalfLifeDays { get; init; } = 30;
}
