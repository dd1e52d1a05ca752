namespace HmRec.Training.Gpu.Training;

/// <summary>Training throughput of the network on generated batches: forward, loss, backward and AdamW per step.</summary>
public static class Throughput
{
    public sealed record Result(string Device, string Description, int BatchSize, int Steps, double Seconds, double SamplesPerSecond);

    public static Result Measure(string device, int threads, int batchSize, int steps, NetworkShape shape)
    {
        if (steps < 1)
        {
            throw new ArgumentException($"--batches must be at least 1 (got {steps}).");
        }
        using var backend = Devices.Create(device, threads);
        var options = new TrainerOptions { BatchSize = batchSize };
        var trainer = new TwoTowerTrainer(backend, shape, options);
        // Enough generated rows for every step to see new rows; labels with a planted signal.
        var rows = batchSize * 4;
        var random = new Random(7);
        float[] Values(int columns) => Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var set = new ExampleSet
        {
            Rows = rows,
            UserColumns = shape.UserInputs,
            ItemColumns = shape.ItemInputs,
            PairColumns = shape.PairInputs,
            ImageColumns = shape.ImageInputs,
            User = Values(shape.UserInputs),
            Item = Values(shape.ItemInputs),
            Pair = Values(shape.PairInputs),
            Image = Values(shape.ImageInputs),
            Labels = Enumerable.Range(0, rows).Select(i => i % 11 == 0 ? 1f : 0f).ToArray(),
            Users = new int[rows],
            Items = new int[rows],
            Groups = [(uint)rows],
        };
        var epochSteps = rows / batchSize;
        // Warm-up: three steps untimed.
        trainer.TrainEpoch(Slice(set, 3 * batchSize), 1, 10);
        backend.Synchronize();
        var clock = Stopwatch.StartNew();
        var done = 0;
        for (var epoch = 2; done < steps; epoch++)
        {
            var take = Math.Min(epochSteps, steps - done);
            trainer.TrainEpoch(Slice(set, take * batchSize), epoch, 10);
            done += take;
        }
        backend.Synchronize();
        var seconds = clock.Elapsed.TotalSeconds;
        return new Result(backend.Name, backend.Description, batchSize, steps, seconds, steps * (double)batchSize / seconds);
    }

    private static ExampleSet Slice(ExampleSet set, int rows) => set with { Rows = rows, Purchases = null };
}
