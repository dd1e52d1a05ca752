namespace HmRec.Activities.Options;

/// <summary>
/// Stage 2 options: one record per recall strategy, each in its strategy's file
/// (<c>Activities/Recall/Strategies/{Strategy}Strategy.cs</c>). Windows count back from the first day of the label
/// week (the cutoff); nothing on or after the cutoff is read. The strategies' candidates overlap, so once
/// merged a user has fewer distinct candidates than the strategies' counts add up to.
/// </summary>
public sealed record RecallOptions
{
    public RepurchaseOptions Repurchase { get; init; } = new();

    public PopularityOptions Popularity { get; init; } = new();

    public CoPurchaseOptions CoPurchase { get; init; } = new();

    public UserKnnOptions UserKnn { get; init; } = new();

    public CategoryOptions Category { get; init; } = new();

    public TextOptions Text { get; init; } = new();

    public SameCodeOptions SameCode { get; init; } = new();

    public BestSellerOptions BestSellers { get; init; } = new();

    public LastYearOptions LastYear { get; init; } = new();
}
