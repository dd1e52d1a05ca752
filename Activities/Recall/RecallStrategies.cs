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

    /// <summary>Every strategy, in the order of the merged candidates' columns.</summary>
    public static readonly IReadOnlyList<string> All = [Repurchase, Popularity, CoPurchase, UserKnn, Category, Text, SameCode, BestSellers, LastYear];
}
