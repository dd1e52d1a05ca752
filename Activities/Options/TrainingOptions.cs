using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Options;

/// <summary>Stage 4A options: the LightGBM rankers' shared hyper-parameters and early stopping.</summary>
public sealed record TrainingOptions
{
    /// <summary>Most boosting rounds per model (default 400).</summary>
    [Range(1, 100_000)] public int MaxRounds { get; init; } = 400;

    /// <summary>Training stops after this many rounds without a better validation MAP@12 (default 50).</summary>
    [Range(1, 100_000)] public int EarlyStoppingRounds { get; init; } = 50;

    /// <summary>Learning rate (default 0.05).</summary>
    [Range(0d, 1d, MinimumIsExclusive = true)] public double LearningRate { get; init; } = 0.05;

    /// <summary>Tree depth of the shallow variants (default 8; the deep variant uses 15).</summary>
    [Range(1, 30)] public int MaxDepth { get; init; } = 8;

    /// <summary>Leaves per tree of the shallow variants (default 63; the deep variant uses 127).</summary>
    [Range(2, 131_072)] public int NumLeaves { get; init; } = 63;

    /// <summary>Fewest training rows in a leaf (default 20).</summary>
    [Range(1, 1_000_000)] public int MinDataInLeaf { get; init; } = 20;

    /// <summary>Share of the rows and of the features each tree sees: LightGBM's bagging_fraction and feature_fraction (default 0.8).</summary>
    [Range(0d, 1d, MinimumIsExclusive = true)] public double BaggingFraction { get; init; } = 0.8;

    /// <summary>
    /// Threads per model; 0 (the default) uses every core. Models that train at once share the cores without
    /// spinning (OpenMP's passive wait policy), and deterministic mode gives the same model at any count.
    /// </summary>
    [Range(0, MaxThreads)] public int Threads { get; init; }

    /// <summary>The most threads a model may ask for: a bound on the work one request can start.</summary>
    public const int MaxThreads = 256;
}
