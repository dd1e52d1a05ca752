namespace HmRec.Activities.Training;

/// <summary>One trained ranker: where it lives, its rounds, its best validation MAP@12 (XGBoost's, over candidates) and its top features.</summary>
public sealed record ModelSummary(
    string Model,
    string Directory,
    long TrainRows,
    long ValidationRows,
    int Rounds,
    int BestRound,
    double BestValidationMap,
    IReadOnlyList<FeatureImportance> TopFeatures,
    double Seconds,
    bool Skipped,
    string? NotTrained = null);

/// <summary>A feature's total gain in one model, and its share of all gain.</summary>
public sealed record FeatureImportance(string Feature, double Gain, double Share);
