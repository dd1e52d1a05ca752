using System.Text.Json.Serialization;

namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Where a training run stands after its last completed epoch: the counters of the optimizer, the
/// learning-rate schedule and early stopping, the epoch log and the best epoch's weights. With the network's
/// tensors and the AdamW moments it is all a run needs to go on as if it had never stopped (shuffles and
/// dropout streams are functions of the seed, the epoch and the step).
/// </summary>
public sealed class FitProgress
{
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }

    /// <summary>Optimizer steps taken (AdamW's t, and the dropout streams' step).</summary>
    public long Step { get; set; }

    public float LearningRate { get; set; }

    /// <summary>The best validation MAP@12 so far (−∞ before the first epoch).</summary>
    public double Best { get; set; } = double.NegativeInfinity;

    public int BestEpoch { get; set; }

    /// <summary>Epochs since ReduceLROnPlateau last saw a gain.</summary>
    public int Plateau { get; set; }

    public double PlateauBest { get; set; } = double.NegativeInfinity;

    public long Samples { get; set; }

    public double TrainingSeconds { get; set; }

    public List<EpochLog> Log { get; init; } = [];

    /// <summary>The best epoch's parameters and buffers (see <see cref="TwoTowerTrainer.Snapshot"/>), or null before any epoch.</summary>
    [JsonIgnore]
    public float[][]? Snapshot { get; set; }

    /// <summary>Whether training is over: the last epoch ran, or early stopping's patience ran out.</summary>
    public bool Finished(TrainerOptions options) =>
        Epoch >= options.MaxEpochs || (Epoch > 0 && Epoch - BestEpoch >= options.Patience);
}
