namespace HmRec.Activities.Recall;

/// <summary>The nine recall strategies, by the name used in file paths and column names (<c>{name}_score</c>).</summary>
public static class RecallStrategies
{
    public const string Repurchase = "repurchase";
    public const string Popularity = "popularity";
    public const string CoPurchase = "copurchase";
    public const string UserKnn = "userknn";
    public const string Category = "category";
    public const string Text = "text";
    public const string SameCode = "samecode";
    public const string BestSellers = "bestsellers";
    public const string LastYear = "lastyear";

    /// <summary>Every strategy, each in its own file in <c>Strategies/</c>, in the order of the merged candidates' columns.</summary>
    public static readonly IReadOnlyList<Strategies.RecallStrategy> Registered =
    [
        new Strategies.RepurchaseStrategy(), new Strategies.PopularityStrategy(), new Strategies.CoPurchaseStrategy(), new Strategies.UserKnnStrategy(),
        new Strategies.CategoryStrategy(), new Strategies.TextStrategy(), new Strategies.SameCodeStrategy(), new Strategies.BestSellersStrategy(),
        new Strategies.LastYearStrategy(),
    ];

    /// <summary>Every strategy's name, in the order of the merged candidates' columns.</summary>
    public static readonly IReadOnlyList<string> All = [.. Registered.Select(s => s.Name)];
}
