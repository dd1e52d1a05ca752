namespace HmRec.Training.Gpu.Training;

/// <summary>
/// One run of the worker: reads the features (training weeks ≥ 1, validation week 0, the week after the data
/// −1), trains the two-tower network, and writes to the output folder model.hmtt, validation.parquet and
/// test.parquet (a score per candidate), training_log.csv (one line per epoch, appended as epochs end) and
/// summary.json last. Every file is written under a temporary name and renamed, so a job killed at any
/// moment leaves either a complete file or none, and can simply be run again. After every epoch it writes
/// <see cref="TrainingCheckpoint"/>, so a job run again resumes after the last completed epoch.
/// </summary>
public static class WorkerJob
{
    public const string ModelName = "two_tower";
    public const string LogFile = ModelFiles.TrainingLog;

    public static WorkerSummary Run(WorkerOptions options, Action<string> progress, CancellationToken cancellationToken = default)
    {
        options.Trainer.Validate();
        if (options.EarlyStoppingRows < 1)
        {
            throw new ArgumentException($"--early-stopping-rows must be at least 1 (got {options.EarlyStoppingRows}).");
        }
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Output);
        // One worker at a time owns the folder: what a killed attempt left half-written goes.
        foreach (var stale in Directory.EnumerateFiles(options.Output, "*.tmp-*"))
        {
            File.Delete(stale);
        }
        var files = ResolveFeatures(options.Features);
        using var backend = Devices.Create(options.Device, options.Threads);
        progress($"device: {backend.Name} ({backend.Description})");

        using var connection = DuckDb.Open(new Dictionary<string, string> { ["memory_limit"] = options.MemoryLimit, ["threads"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) });
        // The training weeks are read twice a part at a time, never whole as raw floats beside the network's copy: once
        // for their columns, labels and standardisation, once into the network's arrays.
        var trainRows = checked((int)FeatureTable.Count(connection, files, "week >= 1"));
        IReadOnlyList<string> names = [];
        var fit = new Standardiser.Accumulator(0);
        var positives = 0L;
        FeatureTable.ForEachOrderedPart(connection, files, "week >= 1", trainRows, options.PredictionPartRows, (part, at) =>
        {
            if (at == 0)
            {
                names = part.Names;
                fit = new Standardiser.Accumulator(names.Count);
            }
            CheckSameColumns(names, part, "the training weeks (week 1 and later)");
            fit.Add(part.Values);
            positives += part.Labels.Count(l => l > 0);
        });
        // The validation week (large at full scale) is never held whole as raw floats: early stopping watches every
        // k-th of its users, read a part at a time into the network's own arrays, and the whole week, like the week
        // after the data, is scored in parts after training.
        var validationRows = FeatureTable.Count(connection, files, "week = 0");
        var testRows = FeatureTable.Count(connection, files, "week = -1");
        var every = Math.Max(1, (validationRows + options.EarlyStoppingRows - 1) / options.EarlyStoppingRows);
        var watched = every == 1 ? "week = 0" : $"week = 0 AND customer_idx % {every} = 0";
        var watchedRows = checked((int)(every == 1 ? validationRows : FeatureTable.Count(connection, files, watched)));
        progress($"features: {trainRows:N0} training rows, {validationRows:N0} validation rows, {testRows:N0} rows of the week after the data, {names.Count} columns");
        if (every > 1)
        {
            progress($"early stopping watches one validation user in {every}: {watchedRows:N0} rows");
        }

        var split = FeatureSplit.Of(names);
        if (trainRows < 2 || positives == 0 || watchedRows == 0 || split.User.Count == 0 || split.Item.Count == 0)
        {
            var why = $"not trained: {trainRows} training rows ({positives} positive), {validationRows} validation rows, {split.User.Count} user and {split.Item.Count} item features";
            progress(why);
            var empty = new WorkerSummary(ModelName, backend.Name, backend.Description, trainRows, validationRows, testRows,
                split.User.Count, split.Item.Count, split.Pair.Count, 0, 0, 0, 0, 0, 1, 0, clock.Elapsed.TotalSeconds, why);
            JsonFile.Write(Path.Combine(options.Output, ModelFiles.Summary), empty);
            return empty;
        }

        ImageEmbeddings? images = null;
        if (options.ImageEmbeddings is { } imagePath)
        {
            images = ImageEmbeddings.Load(connection, imagePath, options.Articles
                ?? throw new ArgumentException("--articles is required with --image-embeddings (it maps article_id to the run's article_idx)."));
            progress($"image embeddings: {images.Count:N0} articles x {images.Dimensions}");
        }

        var standardiser = fit.Result();
        ExampleSet? trainSet = ExampleSet.FromParts(trainRows, fill => FeatureTable.ForEachOrderedPart(connection, files, "week >= 1", trainRows, options.PredictionPartRows, fill),
            split, standardiser, images);
        ExampleSet? validationSet = ExampleSet.FromParts(watchedRows, fill => FeatureTable.ForEachOrderedPart(connection, files, watched, watchedRows, options.PredictionPartRows, (part, at) =>
        {
            CheckSameColumns(names, part, "validation (week 0)");
            fill(part, at);
        }), split, standardiser, images);
        var purchases = options.Labels is { } labels ? CandidateMap.PurchasesPerGroup(connection, labels, validationSet.Users, validationSet.Groups) : null;
        if (purchases is not null)
        {
            progress($"validation purchases: {purchases.Count(p => p > 0):N0} of {purchases.Length:N0} validation users bought {purchases.Sum():N0} items");
            validationSet = validationSet.WithPurchases(purchases);
        }
        var shape = new NetworkShape(split.User.Count, split.Item.Count, images?.Dimensions ?? 0, split.Pair.Count, options.Trainer.Dropout);
        var trainer = new TwoTowerTrainer(backend, shape, options.Trainer);
        var parameters = trainer.Network.Parameters.Sum(p => (long)p.Value.Length);
        progress($"network: {split.User.Count} user, {split.Item.Count} item, {split.Pair.Count} pair features{(images is null ? "" : $", {images.Dimensions}-d images")}; {parameters:N0} parameters; batch {options.Trainer.BatchSize}");

        var checkpointPath = Path.Combine(options.Output, TrainingCheckpoint.FileName);
        var identity = TrainingCheckpoint.Identity(options.Trainer, shape, names, trainSet, validationSet, standardiser);
        var resume = TrainingCheckpoint.TryLoad(checkpointPath, identity, trainer, out var ignored);
        if (resume is not null)
        {
            progress($"resuming from {TrainingCheckpoint.FileName} after epoch {resume.Epoch} (best epoch {resume.BestEpoch}, validation MAP@12 {resume.Best:F4})");
        }
        else if (ignored is not null)
        {
            progress($"{TrainingCheckpoint.FileName} not used: {ignored}; training from the start");
        }

        var logPath = Path.Combine(options.Output, LogFile);
        var log = new StringBuilder("epoch,train_loss,validation_map12,learning_rate,seconds,samples_per_second,best\n");
        void Append(EpochLog e) =>
            log.Append(CultureInfo.InvariantCulture, $"{e.Epoch},{e.TrainLoss:R},{e.ValidationMap:R},{e.LearningRate:R},{e.Seconds:F3},{e.SamplesPerSecond:F0},{(e.Best ? 1 : 0)}\n");
        foreach (var e in resume?.Log ?? [])
        {
            Append(e);
        }
        var outcome = trainer.Fit(trainSet, validationSet, e =>
        {
            Append(e);
            WriteAtomically(logPath, log.ToString());
            progress($"epoch {e.Epoch}: loss {e.TrainLoss:F4}, validation MAP@12 {e.ValidationMap:F4}{(e.Best ? " (best)" : "")}, lr {e.LearningRate:G3}, {e.SamplesPerSecond:N0} samples/s");
        }, cancellationToken, resume, p =>
        {
            TrainingCheckpoint.Save(checkpointPath, identity, trainer, p);
            options.EpochSaved?.Invoke();
        });
        WriteAtomically(logPath, log.ToString());

        var header = new ModelHeader(ModelFile.Version, shape, names, split, standardiser, outcome.BestEpoch, outcome.BestValidationMap, []);
        ModelFile.Save(Path.Combine(options.Output, ModelFile.FileName), backend, trainer.Network, header);
        // The training and validation inputs (large at full scale) are garbage before the weeks are scored: collected
        // now, they are not held beside the parts being scored.
        trainSet = null;
        validationSet = null;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        void Score(string week, string what, string file)
        {
            var users = new List<int>();
            var items = new List<int>();
            var scores = new List<float>();
            FeatureTable.ForEachPart(connection, files, week, options.PredictionPartRows, part =>
            {
                CheckSameColumns(names, part, what);
                users.AddRange(part.Users);
                items.AddRange(part.Items);
                scores.AddRange(trainer.Predict(ExampleSet.From(part, split, standardiser, images)));
            });
            ScoreFile.Write(connection, CollectionsMarshal.AsSpan(users), CollectionsMarshal.AsSpan(items), CollectionsMarshal.AsSpan(scores), Path.Combine(options.Output, file));
        }
        Score("week = 0", "validation (week 0)", ModelFiles.Validation);
        Score("week = -1", "the week after the data (week -1)", ModelFiles.Test);

        var summary = new WorkerSummary(ModelName, backend.Name, backend.Description, trainRows, validationRows, testRows,
            split.User.Count, split.Item.Count, split.Pair.Count, images?.Dimensions ?? 0, parameters, outcome.Epochs.Count, outcome.BestEpoch,
            outcome.BestValidationMap, outcome.PositiveWeight, outcome.SamplesPerSecond, clock.Elapsed.TotalSeconds);
        JsonFile.Write(Path.Combine(options.Output, ModelFiles.Summary), summary);
        progress($"done: best epoch {outcome.BestEpoch} of {outcome.Epochs.Count}, validation MAP@12 {outcome.BestValidationMap:F4}, {clock.Elapsed.TotalSeconds:F1} s");
        return summary;
    }

    /// <summary>A run's features folder becomes its week=*/shard=*.parquet glob; a file or glob is used as given.</summary>
    public static string ResolveFeatures(string features)
    {
        if (Directory.Exists(features))
        {
            return Path.Combine(features, "week=*", "shard=*.parquet");
        }
        if (File.Exists(features) || features.Contains('*', StringComparison.Ordinal))
        {
            return features;
        }
        throw new InputDataException(features, null, null, "--features names no folder, file or glob");
    }

    public static void WriteAtomically(string path, string text)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private static void CheckSameColumns(IReadOnlyList<string> names, FeatureTable other, string what)
    {
        if (other.Rows > 0 && !other.Names.SequenceEqual(names))
        {
            throw new InputDataException($"The feature columns of {what} differ from the training weeks' ({other.Names.Count} against {names.Count}).");
        }
    }
}
