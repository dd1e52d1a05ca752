using System.ComponentModel.DataAnnotations;
using HmRec.Shared.Options;

namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Hyper-parameters of the two-tower training (defaults as the issue fixes them: AdamW lr 3e-4, weight
/// decay 2e-4, dropout 0.3, batch 4096, early stopping after 5 epochs without validation MAP@12 gain,
/// ReduceLROnPlateau halving the rate after 2 such epochs).
/// </summary>
public sealed record TrainerOptions
{
    [Range(1, 10_000)] public int MaxEpochs { get; init; } = 30;

    [Range(2, 1 << 20)] public int BatchSize { get; init; } = 4096;

    [Range(0d, 1d, MinimumIsExclusive = true)] public float LearningRate { get; init; } = 3e-4f;

    [Range(0d, 1d, MaximumIsExclusive = true)] public float WeightDecay { get; init; } = 2e-4f;

    [Range(0d, 1d, MaximumIsExclusive = true)] public float Dropout { get; init; } = 0.3f;

    /// <summary>Epochs without a better validation MAP@12 before training stops.</summary>
    [Range(1, 1000)] public int Patience { get; init; } = 5;

    /// <summary>Epochs without a better validation MAP@12 before the learning rate is multiplied by <see cref="PlateauFactor"/>.</summary>
    [Range(0, int.MaxValue), Display(Name = nameof(PlateauPatience))] public int PlateauPatience { get; init; } = 2;

    [Range(0d, 1d, MinimumIsExclusive = true), Display(Name = nameof(PlateauFactor))] public float PlateauFactor { get; init; } = 0.5f;

    public ulong Seed { get; init; } = 42;

    /// <summary>Throws naming the first option out of range: its command-line flag, or its name where it has none.</summary>
    public void Validate() => OptionsValidator.Validate(this, name: OptionsValidator.Flag);
}
