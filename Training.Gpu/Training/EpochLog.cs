namespace HmRec.Training.Gpu.Training;

/// <summary>One line of the training log.</summary>
public sealed record EpochLog(int Epoch, double TrainLoss, double ValidationMap, double LearningRate, double Seconds, double SamplesPerSecond, bool Best);
