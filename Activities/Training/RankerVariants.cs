namespace HmRec.Activities.Training;

/// <summary>The seeds' four LightGBM rankers (binary, lambdarank, rank_xendcg and a deep binary), each in its own file in <c>Rankers/</c>.</summary>
public static class RankerVariants
{
    /// <summary>Every ranker, in the order they are trained and reported.</summary>
    public static readonly IReadOnlyList<Rankers.RankerVariant> Registered =
        [new Rankers.BinaryRanker(), new Rankers.LambdaRankRanker(), new Rankers.XeNdcgRanker(), new Rankers.DeepRanker()];

    /// <summary>Every ranker's name.</summary>
    public static readonly IReadOnlyList<string> All = [.. Registered.Select(v => v.Name)];

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
        var ranker = Registered.FirstOrDefault(v => v.Name == variant)
            ?? throw new ArgumentException($"Unknown ranker '{variant}'; expected one of {string.Join(", ", All)}.");
        ranker.Configure(p);
        return p;
    }
}
