namespace HmRec.Activities.Training;

/// <summary>One trained model: where it lives, its rounds (epochs for the network), its best validation MAP@12 over candidates, and its top features.</summary>
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
    string? NotTrained = null)
{
    /// <summary>Where a network trained (cpu, cuda); null for the LightGBM rankers.</summary>
    public string? Device { get; init; }

    /// <summary>A network's training throughput; null for the LightGBM rankers.</summary>
    public double? SamplesPerSecond { get; init; }

    /// <summary>Seconds spent scoring the week after the data (loading its rows, predicting, writing test.parquet); null when not scored.</summary>
    public double? TestScoringSeconds { get; init; }

    /// <summary>Rows of the week after the data that were scored.</summary>
    public long? TestRows { get; init; }

    /// <summary>When the activity started (UTC), stamped by the host around it; for the run's timeline.</summary>
    public DateTime? Started { get; init; }
}

/// <summary>A feature's total gain in one model, and its share of all gain.</summary>
public sealed record FeatureImportance(string Feature, double Gain, double Share);
