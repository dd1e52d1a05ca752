namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Hyper-parameters of the two-tower training (defaults as the issue fixes them: AdamW lr 3e-4, weight
/// decay 2e-4, dropout 0.3, batch 4096, early stopping after 5 epochs without validation MAP@12 gain,
/// ReduceLROnPlateau halving the rate after 2 such epochs).
/// </summary>
public sealed record TrainerOptions
{
    public int MaxEpochs { get; init; } = 30;

    public int BatchSize { get; init; } = 4096;

    public float LearningRate { get; init; } = 3e-4f;

    public float WeightDecay { get; init; } = 2e-4f;

    public float Dropout { get; init; } = 0.3f;

    /// <summary>Epochs without a better validation MAP@12 before training stops.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Epochs without a better validation MAP@12 before the learning rate is multiplied by <see cref="PlateauFactor"/>.</summary>
    public int PlateauPatience { get; init; } = 2;

    public float PlateauFactor { get; init; } = 0.5f;

    public ulong Seed { get; init; } = 42;

    /// <summary>Throws naming the first option out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string option, string expected, object value)
        {
            if (!ok)
            {
                throw new ArgumentException($"{option} must be {expected} (got {value}).");
            }
        }
        Check(MaxEpochs is >= 1 and <= 10_000, "--max-epochs", "between 1 and 10000", MaxEpochs);
        Check(BatchSize is >= 2 and <= 1 << 20, "--batch-size", "between 2 and 1048576", BatchSize);
        Check(LearningRate is > 0 and <= 1, "--learning-rate", "in (0, 1]", LearningRate);
        Check(WeightDecay is >= 0 and < 1, "--weight-decay", "in [0, 1)", WeightDecay);
        Check(Dropout is >= 0 and < 1, "--dropout", "in [0, 1)", Dropout);
        Check(Patience is >= 1 and <= 1000, "--patience", "between 1 and 1000", Patience);
        Check(PlateauPatience >= 0, "PlateauPatience", "at least 0", PlateauPatience);
        Check(PlateauFactor is > 0 and <= 1, "PlateauFactor", "in (0, 1]", PlateauFactor);
    }
}
