namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Trains a <see cref="TwoTowerNetwork"/> with weighted binary cross-entropy and AdamW: seeded shuffles,
/// one optimizer step per batch, validation MAP@12 after every epoch, ReduceLROnPlateau on it, early
/// stopping, and the best epoch's weights restored at the end.
/// </summary>
public sealed class TwoTowerTrainer
{
    private readonly TensorBackend backend;
    private readonly TrainerOptions options;
    private readonly NetworkInput batch;
    private readonly Tensor labels;
    private readonly Tensor weights;
    private readonly Tensor gradient;
    private readonly float[] hostUser;
    private readonly float[] hostItem;
    private readonly float[] hostImage;
    private readonly float[] hostPair;
    private readonly float[] hostLabels;
    private readonly float[] hostWeights;
    private long step;

    public TwoTowerTrainer(TensorBackend backend, NetworkShape shape, TrainerOptions options)
    {
        options.Validate();
        this.backend = backend;
        this.options = options;
        var capacity = options.BatchSize;
        Network = new TwoTowerNetwork(backend, shape with { Dropout = options.Dropout }, capacity, options.Seed);
        batch = new NetworkInput(
            backend.Allocate(capacity, shape.UserInputs),
            backend.Allocate(capacity, shape.ItemInputs),
            shape.ImageInputs > 0 ? backend.Allocate(capacity, shape.ImageInputs) : null,
            shape.PairInputs > 0 ? backend.Allocate(capacity, shape.PairInputs) : null);
        labels = backend.Allocate(capacity, 1);
        weights = backend.Allocate(capacity, 1);
        gradient = backend.Allocate(capacity, 1);
        hostUser = new float[capacity * shape.UserInputs];
        hostItem = new float[capacity * shape.ItemInputs];
        hostImage = new float[capacity * shape.ImageInputs];
        hostPair = new float[capacity * shape.PairInputs];
        hostLabels = new float[capacity];
        hostWeights = new float[capacity];
        LearningRate = options.LearningRate;
    }

    public TwoTowerNetwork Network { get; }

    public float LearningRate { get; private set; }

    /// <summary>The weight of a positive row: negatives per positive in the training rows (at least 1).</summary>
    public static float PositiveWeight(ExampleSet train)
    {
        var positives = train.Labels.Count(l => l > 0);
        return positives == 0 ? 1 : Math.Max(1f, (train.Rows - positives) / (float)positives);
    }

    /// <summary>
    /// Trains until early stopping or the last epoch; the network ends with the best epoch's weights. With
    /// <paramref name="resume"/> (a checkpoint's progress, whose tensors are already in the network), it goes on
    /// after that epoch exactly as the uninterrupted run would have; <paramref name="onCheckpoint"/> is called
    /// after every epoch with the progress to save.
    /// </summary>
    public TrainingOutcome Fit(ExampleSet train, ExampleSet validation, Action<EpochLog>? onEpoch = null, CancellationToken cancellationToken = default,
        FitProgress? resume = null, Action<FitProgress>? onCheckpoint = null)
    {
        var positiveWeight = PositiveWeight(train);
        var progress = resume ?? new FitProgress { LearningRate = LearningRate };
        step = progress.Step;
        LearningRate = progress.LearningRate;
        while (!progress.Finished(options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var epoch = progress.Epoch + 1;
            var clock = Stopwatch.StartNew();
            var (loss, rows) = TrainEpoch(train, epoch, positiveWeight, cancellationToken);
            backend.Synchronize();
            var seconds = clock.Elapsed.TotalSeconds;
            progress.Samples += rows;
            progress.TrainingSeconds += seconds;
            var map = CandidateMap.Compute(Predict(validation), validation.Labels, validation.Items, validation.Groups, validation.Purchases);
            var improved = map > progress.Best;
            if (improved)
            {
                progress.Best = map;
                progress.BestEpoch = epoch;
                progress.Snapshot = Snapshot();
            }
            var entry = new EpochLog(epoch, loss, map, LearningRate, seconds, rows / Math.Max(seconds, 1e-9), improved);
            progress.Log.Add(entry);
            onEpoch?.Invoke(entry);
            // ReduceLROnPlateau (mode max, relative threshold 1e-4), as PyTorch's.
            if (map > progress.PlateauBest * (1 + 1e-4) || double.IsNegativeInfinity(progress.PlateauBest))
            {
                progress.PlateauBest = map;
                progress.Plateau = 0;
            }
            else if (++progress.Plateau > options.PlateauPatience)
            {
                LearningRate *= options.PlateauFactor;
                progress.Plateau = 0;
            }
            progress.Epoch = epoch;
            progress.Step = step;
            progress.LearningRate = LearningRate;
            onCheckpoint?.Invoke(progress);
        }
        if (progress.Snapshot is not null)
        {
            Restore(progress.Snapshot);
        }
        return new TrainingOutcome(progress.Log, progress.BestEpoch, progress.Best, positiveWeight, progress.Samples / Math.Max(progress.TrainingSeconds, 1e-9));
    }

    /// <summary>The AdamW moments of every parameter, in network order: first, second, first, second...</summary>
    public float[][] OptimizerState() =>
        [.. Network.Parameters.SelectMany(p => new[] { backend.ToArray(p.FirstMoment), backend.ToArray(p.SecondMoment) })];

    public void RestoreOptimizerState(float[][] moments)
    {
        var i = 0;
        foreach (var p in Network.Parameters)
        {
            backend.Upload(moments[i++], p.FirstMoment);
            backend.Upload(moments[i++], p.SecondMoment);
        }
    }

    /// <summary>One pass over the rows in a seeded order; returns the mean loss and the rows trained on.</summary>
    public (double Loss, long Rows) TrainEpoch(ExampleSet train, int epoch, float positiveWeight, CancellationToken cancellationToken = default)
    {
        var order = Shuffle(train.Rows, options.Seed, epoch);
        double loss = 0;
        long rows = 0;
        for (var start = 0; start < order.Length; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(options.BatchSize, order.Length - start);
            if (count < 2)
            {
                continue; // batch normalisation cannot train on one row
            }
            Stage(train, order.AsSpan(start, count), positiveWeight);
            var logits = Network.Forward(batch, true, ++step);
            loss += backend.WeightedBinaryCrossEntropy(logits, labels, weights, gradient) * (double)count;
            Network.Backward(gradient);
            var adam = new AdamWStep(LearningRate, options.WeightDecay, (int)step);
            foreach (var p in Network.Parameters)
            {
                backend.AdamW(p.Value, p.Gradient, p.FirstMoment, p.SecondMoment, adam);
            }
            rows += count;
        }
        return (rows == 0 ? double.NaN : loss / rows, rows);
    }

    /// <summary>The network's probability for every row (inference mode), in row order.</summary>
    public float[] Predict(ExampleSet set)
    {
        var scores = new float[set.Rows];
        var rows = new int[options.BatchSize];
        for (var start = 0; start < set.Rows; start += options.BatchSize)
        {
            var count = Math.Min(options.BatchSize, set.Rows - start);
            for (var i = 0; i < count; i++)
            {
                rows[i] = start + i;
            }
            Stage(set, rows.AsSpan(0, count), 1);
            var logits = Network.Forward(batch, false, 0);
            backend.Download(logits, scores.AsSpan(start, count));
        }
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = 1 / (1 + MathF.Exp(-scores[i]));
        }
        return scores;
    }

    /// <summary>Host copies of every parameter and buffer, in network order.</summary>
    public float[][] Snapshot() =>
        [.. Network.Parameters.Select(p => backend.ToArray(p.Value)), .. Network.Buffers.Select(b => backend.ToArray(b.Value))];

    public void Restore(float[][] snapshot)
    {
        var tensors = Network.Parameters.Select(p => p.Value).Concat(Network.Buffers.Select(b => b.Value)).ToList();
        for (var i = 0; i < tensors.Count; i++)
        {
            backend.Upload(snapshot[i], tensors[i]);
        }
    }

    /// <summary>A seeded permutation of 0..n-1 (Fisher-Yates), different for every epoch.</summary>
    internal static int[] Shuffle(int n, ulong seed, int epoch)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        var state = DropoutHash.Mix(seed ^ ((ulong)epoch << 32));
        for (var i = n - 1; i > 0; i--)
        {
            state = DropoutHash.Mix(state);
            var j = (int)(state % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Gathers <paramref name="rows"/> of <paramref name="set"/> into the batch tensors.</summary>
    private void Stage(ExampleSet set, ReadOnlySpan<int> rows, float positiveWeight)
    {
        var n = rows.Length;
        static void Gather(float[] source, int columns, ReadOnlySpan<int> rows, float[] target)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                source.AsSpan(rows[i] * columns, columns).CopyTo(target.AsSpan(i * columns, columns));
            }
        }
        Gather(set.User, set.UserColumns, rows, hostUser);
        Gather(set.Item, set.ItemColumns, rows, hostItem);
        Gather(set.Image, set.ImageColumns, rows, hostImage);
        Gather(set.Pair, set.PairColumns, rows, hostPair);
        for (var i = 0; i < n; i++)
        {
            hostLabels[i] = set.Labels[rows[i]];
            hostWeights[i] = hostLabels[i] > 0 ? positiveWeight : 1;
        }
        foreach (var t in new[] { batch.User, batch.Item, batch.Image, batch.Pair, labels, weights, gradient })
        {
            if (t is not null)
            {
                t.Rows = n;
            }
        }
        backend.Upload(hostUser.AsSpan(0, n * set.UserColumns), batch.User);
        backend.Upload(hostItem.AsSpan(0, n * set.ItemColumns), batch.Item);
        if (batch.Image is not null)
        {
            backend.Upload(hostImage.AsSpan(0, n * set.ImageColumns), batch.Image);
        }
        if (batch.Pair is not null)
        {
            backend.Upload(hostPair.AsSpan(0, n * set.PairColumns), batch.Pair);
        }
        backend.Upload(hostLabels.AsSpan(0, n), labels);
        backend.Upload(hostWeights.AsSpan(0, n), weights);
    }
}
