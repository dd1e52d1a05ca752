namespace HmRec.Shared.Options;

/// <summary>Stage 4A options: the XGBoost rankers' shared hyper-parameters and early stopping.</summary>
public sealed record TrainingOptions
{
    /// <summary>Most boosting rounds per model (default 400).</summary>
    public int MaxRounds { get; init; } = 400;

    /// <summary>Training stops after this many rounds without a better validation MAP@12 (default 50).</summary>
    public int EarlyStoppingRounds { get; init; } = 50;

    /// <summary>Learning rate (default 0.05).</summary>
    public double Eta { get; init; } = 0.05;

    /// <summary>Tree depth of the shallow variants (default 7; the deep variant uses 15 with 127 leaves).</summary>
    public int MaxDepth { get; init; } = 7;

    /// <summary>Row and column subsampling per tree (default 0.8).</summary>
    public double Subsample { get; init; } = 0.8;

    public void Validate()
    {
        RecallOptions.Check("Training.MaxRounds", MaxRounds, 1, 100_000);
        RecallOptions.Check("Training.EarlyStoppingRounds", EarlyStoppingRounds, 1, 100_000);
        RecallOptions.Check("Training.MaxDepth", MaxDepth, 1, 30);
        if (Eta is not (> 0 and <= 1))
        {
            throw new ArgumentException($"Training.Eta must be in (0, 1] (got {Eta}).");
        }
        if (Subsample is not (> 0 and <= 1))
        {
            throw new ArgumentException($"Training.Subsample must be in (0, 1] (got {Subsample}).");
        }
    }
}
