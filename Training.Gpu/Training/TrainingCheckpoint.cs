using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace HmRec.Training.Gpu.Training;

/// <summary>
/// The worker's checkpoint, <c>checkpoint.hmtc</c>, written after every epoch (atomically, in the
/// <see cref="TensorFile"/> layout): a JSON header with the run's identity and its <see cref="FitProgress"/>,
/// then every parameter with its two AdamW moments, the batch-norm running statistics, and the best
/// epoch's weights. A worker started again on the same inputs and options (a restart after a crash, or the
/// orchestrator's next attempt) resumes after the last completed epoch and ends with the same model, bit
/// for bit on the CPU, as a run that never stopped. A checkpoint of other inputs or options is ignored.
/// </summary>
public static class TrainingCheckpoint
{
    public const string FileName = "checkpoint.hmtc";
    public const int Version = 1;

    private static readonly byte[] Magic = "HMTC"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private sealed record Header(int Version, string Identity, FitProgress Progress, int Tensors, IReadOnlyList<int> Lengths, bool HasSnapshot);

    /// <summary>
    /// A digest of everything that decides the training: the options, the network's shape, the feature
    /// columns, the rows, and the standardisation fitted on the training rows (which changes with any change
    /// to their values).
    /// </summary>
    public static string Identity(TrainerOptions options, NetworkShape shape, IReadOnlyList<string> features, ExampleSet train, ExampleSet validation, Standardiser standardiser)
    {
        var text = JsonSerializer.Serialize(new { options, shape, features, train = train.Rows, validation = validation.Rows, positives = train.Labels.Count(l => l > 0), purchases = validation.Purchases, standardiser.Mean, standardiser.Scale }, Json);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static void Save(string path, string identity, TwoTowerTrainer trainer, FitProgress progress)
    {
        var tensors = State(trainer);
        var snapshot = progress.Snapshot ?? [];
        var header = new Header(Version, identity, progress, tensors.Length, [.. tensors.Concat(snapshot).Select(t => t.Length)], progress.Snapshot is not null);
        TensorFile.Write(path, Magic, JsonSerializer.SerializeToUtf8Bytes(header, Json), tensors.Concat(snapshot));
    }

    /// <summary>
    /// The progress of the checkpoint at <paramref name="path"/>, its tensors loaded into
    /// <paramref name="trainer"/>; or null, with <paramref name="ignored"/> saying why when a file was there.
    /// </summary>
    public static FitProgress? TryLoad(string path, string identity, TwoTowerTrainer trainer, out string? ignored)
    {
        ignored = null;
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var stream = File.OpenRead(path);
            var header = JsonSerializer.Deserialize<Header>(TensorFile.ReadHeader(stream, path, Magic, "a training checkpoint"), Json)
                ?? throw new InvalidDataException($"{path}: empty header.");
            if (header.Version != Version || header.Identity != identity)
            {
                ignored = header.Version != Version
                    ? $"checkpoint version {header.Version}, this build writes {Version}"
                    : "it was written for other features or options";
                return null;
            }
            var expected = State(trainer);
            if (header.Tensors != expected.Length || !header.Lengths.Take(expected.Length).SequenceEqual(expected.Select(t => t.Length)))
            {
                throw new InvalidDataException($"{path}: its tensors do not fit the network.");
            }
            var arrays = header.Lengths.Select((length, i) => TensorFile.ReadFloats(stream, length, path, $"#{i}")).ToArray();
            TensorFile.EnsureEnd(stream, path);
            var moments = 2 * trainer.Network.Parameters.Count;
            trainer.RestoreOptimizerState(arrays[..moments]);
            trainer.Restore(arrays[moments..header.Tensors]);
            header.Progress.Snapshot = header.HasSnapshot ? arrays[header.Tensors..] : null;
            return header.Progress;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException)
        {
            ignored = e.Message;
            return null;
        }
    }

    /// <summary>The optimizer moments, then the parameters and buffers (the order <see cref="TwoTowerTrainer.Restore"/> reads).</summary>
    private static float[][] State(TwoTowerTrainer trainer) => [.. trainer.OptimizerState(), .. trainer.Snapshot()];
}
