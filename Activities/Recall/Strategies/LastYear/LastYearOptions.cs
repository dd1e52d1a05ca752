namespace HmRec.Activities.Options;

/// <summary>
/// The same weeks last year: what the user bought a year before the label week (one week either side), the same
/// articles first, then the best sellers of the last days in the product types bought then.
/// </summary>
public sealed record LastYearOptions : IStrategyOptions
{
    /// <summary>Candidates per user (default 20).</summary>
    public int TopN { get; init; } = 20;

    /// <summary>The best sellers kept per product type (default 10).</summary>
    public int ItemsPerType { get; init; } = 10;

    /// <summary>Checks every value, naming the option (<c>Recall.LastYear.*</c>) and the allowed range.</summary>
    public void Validate()
    {
        RecallOptions.Check("Recall.LastYear.TopN", TopN, 1, 1000);
        RecallOptions.Check("Recall.LastYear.ItemsPerType", ItemsPerType, 1, 1000);
    }
}
