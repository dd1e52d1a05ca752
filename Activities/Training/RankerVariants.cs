using System.Globalization;
using HmRec.Shared.Options;

namespace HmRec.Activities.Training;

/// <summary>The seeds' four LightGBM rankers: binary, lambdarank, rank_xendcg and a deep binary.</summary>
public static class RankerVariants
{
    public const string Binary = "lgb_binary";
    public const string LambdaRank = "lgb_lambdarank";
    public const string XeNdcg = "lgb_xendcg";
    public const string Deep = "lgb_deep";

    public static readonly IReadOnlyList<string> All = [Binary, LambdaRank, XeNdcg, Deep];

    /// <summary>
    /// The LightGBM parameters of <paramref name="variant"/>: deterministic (the same bits at any thread
    /// count), row-wise histograms, a seed; no built-in metric (the activity scores MAP@12 itself).
    /// </summary>
    public static Dictionary<string, string> Parameters(string variant, TrainingOptions options, ulong seed, int threads)
    {
        string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["learning_rate"] = N(options.LearningRate),
            ["num_leaves"] = I(options.NumLeaves),
            ["max_depth"] = I(options.MaxDepth),
            ["min_data_in_leaf"] = I(options.MinDataInLeaf),
            ["feature_fraction"] = N(options.BaggingFraction),
            ["bagging_fraction"] = N(options.BaggingFraction),
            ["bagging_freq"] = "1",
            ["seed"] = I((long)(seed % int.MaxValue)),
            ["deterministic"] = "true",
            ["force_row_wise"] = "true",
            ["num_threads"] = I(threads),
            ["metric"] = "None",
            ["verbosity"] = "1",
        };
        switch (variant)
        {
            case Binary:
                p["objective"] = "binary";
                break;
            case LambdaRank:
                p["objective"] = "lambdarank";
                p["lambdarank_truncation_level"] = "12";
                break;
            case XeNdcg:
                p["objective"] = "rank_xendcg";
                break;
            case Deep:
                p["objective"] = "binary";
                p["num_leaves"] = "127";
                p["max_depth"] = "15";
                break;
            default:
                throw new ArgumentException($"Unknown ranker '{variant}'; expected one of {string.Join(", ", All)}.");
        }
        return p;
    }

    /// <summary>Whether the objective learns from query groups (one user in one week).</summary>
    public static bool Ranks(string variant) => variant is LambdaRank or XeNdcg;
}
