using System.ComponentModel.DataAnnotations;

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
    [AllowedValues("auto", "cpu", "cuda")] public string Device { get; init; } = "auto";

    /// <summary>Most epochs (default 30; training stops earlier after <see cref="Patience"/> epochs without gain).</summary>
    [Range(1, 10_000)] public int MaxEpochs { get; init; } = 30;

    /// <summary>Epochs without a better validation MAP@12 before training stops (default 5).</summary>
    [Range(1, 1000)] public int Patience { get; init; } = 5;

    /// <summary>Rows per optimizer step (default 4096).</summary>
    [Range(2, 1 << 20)] public int BatchSize { get; init; } = 4096;

    /// <summary>AdamW learning rate (default 3e-4).</summary>
    [Range(0d, 1d, MinimumIsExclusive = true)] public double LearningRate { get; init; } = 3e-4;

    /// <summary>AdamW weight decay (default 2e-4).</summary>
    [Range(0d, 1d)] public double WeightDecay { get; init; } = 2e-4;

    /// <summary>Dropout after every hidden layer (default 0.3).</summary>
    [Range(0d, 0.99)] public double Dropout { get; init; } = 0.3;

    /// <summary>
    /// Early stopping watches at most about this many validation rows (default 2,000,000): one validation user in k when
    /// the week is larger, to keep the worker's memory down; the whole week is still scored for the evaluation.
    /// </summary>
    [Range(1, int.MaxValue)] public int EarlyStoppingRows { get; init; } = 2_000_000;

    /// <summary>The job fails when it has not finished this many minutes after its first start (default 240).</summary>
    [Range(0d, 24 * 60d, MinimumIsExclusive = true)] public double TimeoutMinutes { get; init; } = 240;

    /// <summary>Besides waiting for the worker's completion event, the orchestrator checks the job this often (default 30 s).</summary>
    [Range(0d, 600d, MinimumIsExclusive = true)] public double PollSeconds { get; init; } = 30;

    /// <summary>Starts of a job that died (killed, machine lost) before the step fails (default 3).</summary>
    [Range(1, 10)] public int MaxAttempts { get; init; } = 3;

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
}
