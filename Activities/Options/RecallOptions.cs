namespace HmRec.Activities.Options;

/// <summary>A recall strategy's options (in the strategy's folder): they check their own values.</summary>
public interface IStrategyOptions
{
    /// <summary>Checks every value, naming the option (<c>Recall.{Strategy}.*</c>) and the allowed range.</summary>
    void Validate();
}

/// <summary>
/// Stage 2 options: one record per recall strategy, each in its strategy's folder
/// (<c>Activities/Recall/Strategies/{Strategy}/</c>). Windows count back from the first day of the label
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

    /// <summary>Checks every strategy's values (each strategy's options check their own), naming the option and the allowed range.</summary>
    public void Validate()
    {
        foreach (var options in typeof(RecallOptions).GetProperties().Select(p => p.GetValue(this)).OfType<IStrategyOptions>())
        {
            options.Validate();
        }
    }

    public static void Check(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"{name} must be between {min:N0} and {max:N0} (got {value}).");
        }
    }

    public static void CheckPositive(string name, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{name} must be a positive number of days (got {value}).");
        }
    }
}
