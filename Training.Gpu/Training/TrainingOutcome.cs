namespace HmRec.Training.Gpu.Training;

/// <summary>What a training run did: every epoch, the best one and its validation MAP@12, and the training throughput.</summary>
public sealed record TrainingOutcome(IReadOnlyList<EpochLog> Epochs, int BestEpoch, double BestValidationMap, float PositiveWeight, double SamplesPerSecond);
