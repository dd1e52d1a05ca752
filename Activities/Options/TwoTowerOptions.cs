namespace HmRec.Activities.Options;

/// <summary>
/// Stage 4B options: whether the pipeline dispatches the two-tower network to the GPU worker
/// (<c>hmrec-train-gpu</c>), its hyper-parameters, and how the orchestrator waits for the job.
/// </summary>
public sealed record TwoTowerOptions
{
    /// <summary>Train the network (default true). When false the pipeline evaluates the LightGBM rankers alone.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>auto (CUDA when a GPU is present, else CPU), cpu or cuda.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Most epochs (default 30; training stops earlier after <see cref="Patience"/> epochs without gain).</summary>
    public int MaxEpochs { get; init; } = 30;

    /// <summary>Epochs without a better validation MAP@12 before training stops (default 5).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Rows per optimizer step (default 4096).</summary>
    public int BatchSize { get; init; } = 4096;

    /// <summary>AdamW learning rate (default 3e-4).</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>AdamW weight decay (default 2e-4).</summary>
    public double WeightDecay { get; init; } = 2e-4;

    /// <summary>Dropout after every hidden layer (default 0.3).</summary>
    public double Dropout { get; init; } = 0.3;

    /// <summary>
    /// Early stopping watches at most about this many validation rows (default 2,000,000): one validation user in k when
    /// the week is larger, to keep the worker's memory down; the whole week is still scored for the evaluation.
    /// </summary>
    public int EarlyStoppingRows { get; init; } = 2_000_000;

    /// <summary>The job fails when it has not finished this many minutes after its first start (default 240).</summary>
    public double TimeoutMinutes { get; init; } = 240;

    /// <summary>Besides waiting for the worker's completion event, the orchestrator checks the job this often (default 30 s).</summary>
    public double PollSeconds { get; init; } = 30;

    /// <summary>Starts of a job that died (killed, machine lost) before the step fails (default 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    public void Validate()
    {
        if (Device is not ("auto" or "cpu" or "cuda"))
        {
            throw new ArgumentException($"TwoTower.Device must be auto, cpu or cuda (got '{Device}').");
        }
        RecallOptions.Check("TwoTower.MaxEpochs", MaxEpochs, 1, 10_000);
        RecallOptions.Check("TwoTower.Patience", Patience, 1, 1000);
        RecallOptions.Check("TwoTower.BatchSize", BatchSize, 2, 1 << 20);
        RecallOptions.Check("TwoTower.MaxAttempts", MaxAttempts, 1, 10);
        RecallOptions.Check("TwoTower.EarlyStoppingRows", EarlyStoppingRows, 1, int.MaxValue);
        Range("TwoTower.LearningRate", LearningRate, 0, 1, openLow: true);
        Range("TwoTower.WeightDecay", WeightDecay, 0, 1, openLow: false);
        Range("TwoTower.Dropout", Dropout, 0, 0.99, openLow: false);
        Range("TwoTower.TimeoutMinutes", TimeoutMinutes, 0, 24 * 60, openLow: true);
        Range("TwoTower.PollSeconds", PollSeconds, 0, 600, openLow: true);
    }

    /// <summary>The worker's command-line arguments for these options (besides its input and output).</summary>
    public IReadOnlyList<string> WorkerArguments(ulong seed)
    {
        static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return
        [
            "--device", Device, "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--max-epochs", MaxEpochs.ToString(CultureInfo.InvariantCulture), "--patience", Patience.ToString(CultureInfo.InvariantCulture),
            "--batch-size", BatchSize.ToString(CultureInfo.InvariantCulture), "--learning-rate", N(LearningRate),
            "--weight-decay", N(WeightDecay), "--dropout", N(Dropout),
            "--early-stopping-rows", EarlyStoppingRows.ToString(CultureInfo.InvariantCulture),
        ];
    }

    private static void Range(string name, double value, double low, double high, bool openLow)
    {
        if (double.IsNaN(value) || value > high || (openLow ? value <= low : value < low))
        {
            throw new ArgumentException($"{name} must be in {(openLow ? "(" : "[")}{low}, {high}] (got {value}).");
        }
    }
}
