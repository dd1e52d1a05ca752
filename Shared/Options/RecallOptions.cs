namespace HmRec.Shared.Options;

/// <summary>
/// Stage 2 options: one record per recall strategy. Windows count back from the first day of the label
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

    /// <summary>Checks every strategy's values, naming the option and the allowed range.</summary>
    public void Validate()
    {
        Check("Recall.Repurchase.TopN", Repurchase.TopN, 1, 1000);
        CheckPositive("Recall.Repurchase.HalfLifeDays", Repurchase.HalfLifeDays);
        Check("Recall.Repurchase.WindowDays", Repurchase.WindowDays, 1, 3650);
        Check("Recall.Popularity.TopN", Popularity.TopN, 1, 1000);
        Check("Recall.Popularity.WindowDays", Popularity.WindowDays, 7, 3650);
        CheckPositive("Recall.Popularity.HalfLifeDays", Popularity.HalfLifeDays);
        Check("Recall.CoPurchase.TopN", CoPurchase.TopN, 1, 1000);
        Check("Recall.CoPurchase.WindowWeeks", CoPurchase.WindowWeeks, 1, 520);
        Check("Recall.CoPurchase.Neighbours", CoPurchase.Neighbours, 1, 1000);
        Check("Recall.CoPurchase.SeedItems", CoPurchase.SeedItems, 1, 1000);
        Check("Recall.CoPurchase.MaxBasket", CoPurchase.MaxBasket, 2, 10_000);
        Check("Recall.CoPurchase.MinCount", CoPurchase.MinCount, 1, 1_000_000);
        CheckPositive("Recall.CoPurchase.HalfLifeDays", CoPurchase.HalfLifeDays);
        if (CoPurchase.Basket is not ("day" or "week"))
        {
            throw new ArgumentException($"Recall.CoPurchase.Basket must be 'day' or 'week' (got '{CoPurchase.Basket}').");
        }
        Check("Recall.UserKnn.TopN", UserKnn.TopN, 1, 1000);
        Check("Recall.UserKnn.Neighbours", UserKnn.Neighbours, 1, 10_000);
        Check("Recall.UserKnn.WindowWeeks", UserKnn.WindowWeeks, 1, 520);
        Check("Recall.UserKnn.SeedItems", UserKnn.SeedItems, 1, 1000);
        Check("Recall.UserKnn.MaxBuyersPerItem", UserKnn.MaxBuyersPerItem, 1, 1_000_000);
        Check("Recall.UserKnn.ItemWindowDays", UserKnn.ItemWindowDays, 1, 3650);
        CheckPositive("Recall.UserKnn.HalfLifeDays", UserKnn.HalfLifeDays);
        Check("Recall.Category.TopN", Category.TopN, 1, 1000);
        Check("Recall.Category.TopCategories", Category.TopCategories, 1, 1000);
        Check("Recall.Category.ItemsPerCategory", Category.ItemsPerCategory, 1, 1000);
        Check("Recall.Category.WindowDays", Category.WindowDays, 1, 3650);
        CheckPositive("Recall.Category.HalfLifeDays", Category.HalfLifeDays);
        CheckPositive("Recall.Category.ItemHalfLifeDays", Category.ItemHalfLifeDays);
        Category.Validate();
        Check("Recall.Text.TopN", Text.TopN, 1, 1000);
        Check("Recall.Text.Dimensions", Text.Dimensions, 2, 1024);
        Check("Recall.Text.PoolSize", Text.PoolSize, 1, 1_000_000);
        Check("Recall.Text.PoolDays", Text.PoolDays, 1, 3650);
        Check("Recall.Text.ProfileItems", Text.ProfileItems, 1, 1000);
        CheckPositive("Recall.Text.HalfLifeDays", Text.HalfLifeDays);
        Check("Recall.Repurchase.KeepRecent", Repurchase.KeepRecent, 0, 1000);
        Check("Recall.SameCode.TopN", SameCode.TopN, 1, 1000);
        Check("Recall.SameCode.SeedItems", SameCode.SeedItems, 1, 1000);
        CheckPositive("Recall.SameCode.HalfLifeDays", SameCode.HalfLifeDays);
        Check("Recall.BestSellers.TopN", BestSellers.TopN, 1, 1000);
        Check("Recall.BestSellers.WindowDays", BestSellers.WindowDays, 1, 3650);
        Check("Recall.LastYear.TopN", LastYear.TopN, 1, 1000);
        Check("Recall.LastYear.ItemsPerType", LastYear.ItemsPerType, 1, 1000);
    }

    internal static void Check(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"{name} must be between {min:N0} and {max:N0} (got {value}).");
        }
    }

    internal static void CheckPositive(string name, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{name} must be a positive number of days (got {value}).");
        }
    }
}
