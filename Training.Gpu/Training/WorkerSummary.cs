namespace HmRec.Training.Gpu.Training;

/// <summary>
/// The worker's <c>summary.json</c>, written last: the job is complete when it exists. <see cref="NotTrained"/>
/// says why no model was trained (no training rows), in which case no score file is written.
/// </summary>
public sealed record WorkerSummary(
    string Model,
    string Device,
    string DeviceDescription,
    long TrainRows,
    long ValidationRows,
    long TestRows,
    int UserFeatures,
    int ItemFeatures,
    int PairFeatures,
    int ImageDimensions,
    long Parameters,
    int Epochs,
    int BestEpoch,
    double BestValidationMap,
    float PositiveWeight,
    double SamplesPerSecond,
    double Seconds,
    string? NotTrained = null);
