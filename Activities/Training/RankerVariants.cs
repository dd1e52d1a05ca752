using System.Globalization;
using HmRec.Shared.Options;

namespace HmRec.Activities.Training;

/// <summary>The four XGBoost variants, as the seeds' four LightGBM models map onto XGBoost.</summary>
public static class RankerVariants
{
    public const string Binary = "xgb_binary";
    public const string Ndcg = "xgb_ndcg";
    public const string Map = "xgb_map";
    public const string Deep = "xgb_deep";

    public static readonly IReadOnlyList<string> All = [Binary, Ndcg, Map, Deep];

    /// <summary>The booster parameters of <paramref name="variant"/>.</summary>
    public static Dictionary<string, string> Parameters(string variant, TrainingOptions options, ulong seed)
    {
        string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var common = new Dictionary<string, string>
        {
            ["tree_method"] = "hist",
            ["eta"] = N(options.Eta),
            ["max_depth"] = options.MaxDepth.ToString(CultureInfo.InvariantCulture),
            ["subsample"] = N(options.Subsample),
            ["colsample_bytree"] = N(options.Subsample),
            ["min_child_weight"] = "1",
            ["seed"] = (seed % int.MaxValue).ToString(CultureInfo.InvariantCulture),
            ["nthread"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        };
        switch (variant)
        {
            case Binary:
                common["objective"] = "binary:logistic";
                break;
            case Ndcg:
                common["objective"] = "rank:ndcg";
                break;
            case Map:
                common["objective"] = "rank:map";
                break;
            case Deep:
                common["objective"] = "binary:logistic";
                common["grow_policy"] = "lossguide";
                common["max_leaves"] = "127";
                common["max_depth"] = "15";
                break;
            default:
                throw new ArgumentException($"Unknown ranker '{variant}'; expected one of {string.Join(", ", All)}.");
        }
        return common;
    }
}
