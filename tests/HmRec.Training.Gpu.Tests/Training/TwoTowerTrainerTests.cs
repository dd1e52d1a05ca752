using HmRec.Training.Gpu.Network;

namespace HmRec.Training.Gpu.Tests.Training;

public sealed class TwoTowerTrainerTests
{
    private static readonly TrainerOptions Small = new() { BatchSize = 256, MaxEpochs = 12, LearningRate = 3e-3f, Patience = 5, Seed = 5 };

    [Fact]
    public void Fit_PlantedSignal_ValidationMapFarAboveChance()
    {
        using var backend = new CpuBackend();
        var train = PlantedData.Create(600, 1);
        var validation = PlantedData.Create(200, 2);
        var trainer = new TwoTowerTrainer(backend, Shape(train), Small);
        var untrained = CandidateMap.Compute(trainer.Predict(validation), validation.Labels, validation.Items, validation.Groups);
        var outcome = trainer.Fit(train, validation);

        // One bought item in 10 candidates: a random order scores about 0.29.
        Assert.InRange(untrained, 0, 0.5);
        Assert.True(outcome.BestValidationMap > 0.75, $"best validation MAP@12 {outcome.BestValidationMap:F3} (untrained {untrained:F3})");
        Assert.True(outcome.Epochs[^1].TrainLoss < outcome.Epochs[0].TrainLoss, "the training loss fell");
        // The network ends with the best epoch's weights.
        var restored = CandidateMap.Compute(trainer.Predict(validation), validation.Labels, validation.Items, validation.Groups);
        Assert.Equal(outcome.BestValidationMap, restored, 10);
        Assert.Equal(9f, outcome.PositiveWeight);
    }

    [Fact]
    public void Fit_SameSeed_IdenticalWeights_OtherSeed_Different()
    {
        using var backend = new CpuBackend();
        var train = PlantedData.Create(100, 3, imageColumns: 6);
        var validation = PlantedData.Create(30, 4, imageColumns: 6);
        float[][] Train(ulong seed)
        {
            var trainer = new TwoTowerTrainer(backend, Shape(train), Small with { MaxEpochs = 2, BatchSize = 128, Seed = seed });
            trainer.Fit(train, validation);
            return trainer.Snapshot();
        }
        var a = Train(9);
        var b = Train(9);
        var c = Train(10);
        Assert.Equal(a.Length, b.Length);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i]);
        }
        Assert.NotEqual(a[0], c[0]);
    }

    [Fact]
    public void ModelFile_SaveAndLoad_SamePredictions()
    {
        using var backend = new CpuBackend();
        var train = PlantedData.Create(100, 5, imageColumns: 3);
        var validation = PlantedData.Create(40, 6, imageColumns: 3);
        var trainer = new TwoTowerTrainer(backend, Shape(train), Small with { MaxEpochs = 2 });
        var outcome = trainer.Fit(train, validation);
        var expected = trainer.Predict(validation);

        var directory = Directory.CreateTempSubdirectory("hmrec-tt-");
        try
        {
            var path = Path.Combine(directory.FullName, ModelFile.FileName);
            var header = new ModelHeader(ModelFile.Version, trainer.Network.Shape, ["a"], new FeatureSplit([0], [], []), new Standardiser([1f], [2f]), outcome.BestEpoch, outcome.BestValidationMap, []);
            ModelFile.Save(path, backend, trainer.Network, header);
            var (network, read) = ModelFile.Load(path, backend, 64);
            Assert.Equal(trainer.Network.Shape, read.Shape);
            Assert.Equal(outcome.BestEpoch, read.BestEpoch);
            Assert.Equal(trainer.Network.Parameters.Count + trainer.Network.Buffers.Count, read.Tensors.Count);
            Assert.Equal([1f], read.Standardiser.Mean);

            // Score with the loaded network through a second trainer whose weights are replaced by the file's.
            var loaded = new TwoTowerTrainer(backend, read.Shape, Small with { MaxEpochs = 2 });
            loaded.Restore([.. network.Parameters.Select(p => backend.ToArray(p.Value)), .. network.Buffers.Select(b => backend.ToArray(b.Value))]);
            Assert.Equal(expected, loaded.Predict(validation));

            // A file of another version (1: a bias on every linear) is refused, naming both versions.
            var bytes = File.ReadAllBytes(path);
            var text = System.Text.Encoding.Latin1.GetString(bytes);
            var at = text.IndexOf($"\"Version\":{ModelFile.Version}", StringComparison.Ordinal);
            Assert.True(at > 0);
            var older = (byte[])bytes.Clone();
            older[at + "\"Version\":".Length] = (byte)'1';
            File.WriteAllBytes(path, older);
            var version = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path, backend, 64));
            Assert.Equal($"{path}: model file version 1; this build reads version {ModelFile.Version}.", version.Message);

            // A truncated file is refused with its name.
            File.WriteAllBytes(path, bytes[..(bytes.Length - 8)]);
            var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path, backend, 64));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(true);
        }
    }

    [Fact]
    public void Fit_ResumedFromACheckpoint_EndsBitForBitAsAnUninterruptedRun()
    {
        using var backend = new CpuBackend();
        var train = PlantedData.Create(300, 1);
        var validation = PlantedData.Create(100, 2);
        var options = Small with { MaxEpochs = 6, Patience = 10, PlateauPatience = 1 };
        var standardiser = new Standardiser([0f], [1f]);
        var directory = Directory.CreateTempSubdirectory("hmrec-checkpoint-");
        try
        {
            var path = Path.Combine(directory.FullName, TrainingCheckpoint.FileName);
            var whole = new TwoTowerTrainer(backend, Shape(train), options);
            var expected = whole.Fit(train, validation);

            // The same run, stopped after epoch 3 (its checkpoint written), then resumed by a new trainer.
            var identity = TrainingCheckpoint.Identity(options, Shape(train), ["a"], train, validation, standardiser);
            using var stop = new CancellationTokenSource();
            var first = new TwoTowerTrainer(backend, Shape(train), options);
            Assert.Throws<OperationCanceledException>(() => first.Fit(train, validation, e =>
            {
                if (e.Epoch == 3)
                {
                    stop.Cancel();
                }
            }, stop.Token, onCheckpoint: p => TrainingCheckpoint.Save(path, identity, first, p)));

            var second = new TwoTowerTrainer(backend, Shape(train), options);
            var resume = TrainingCheckpoint.TryLoad(path, identity, second, out var ignored);
            Assert.Null(ignored);
            Assert.Equal((3, 3 * (300 * 10 / 256 + 1)), (resume!.Epoch, (int)resume.Step));
            var resumed = second.Fit(train, validation, resume: resume);

            Assert.Equal(expected.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationMap, e.LearningRate, e.Best)),
                resumed.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationMap, e.LearningRate, e.Best)));
            Assert.Equal((expected.BestEpoch, expected.BestValidationMap), (resumed.BestEpoch, resumed.BestValidationMap));
            Assert.Equal(whole.Snapshot(), second.Snapshot());
            Assert.Equal(whole.OptimizerState(), second.OptimizerState());

            // Other options (another seed) or a damaged file: ignored, with the reason.
            var other = TrainingCheckpoint.Identity(options with { Seed = 6 }, Shape(train), ["a"], train, validation, standardiser);
            Assert.Null(TrainingCheckpoint.TryLoad(path, other, new TwoTowerTrainer(backend, Shape(train), options), out ignored));
            Assert.Equal("it was written for other features or options", ignored);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^4]);
            Assert.Null(TrainingCheckpoint.TryLoad(path, identity, new TwoTowerTrainer(backend, Shape(train), options), out ignored));
            Assert.StartsWith($"{path}: the file ends inside tensor", ignored, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(true);
        }
    }

    [Fact]
    public void Network_Backward_MatchesFiniteDifferencesEndToEnd()
    {
        using var backend = new CpuBackend();
        var set = PlantedData.Create(2, 7, userColumns: 3, itemColumns: 3, pairColumns: 2, imageColumns: 4);
        var shape = Shape(set) with { Dropout = 0.3f };
        var network = new TwoTowerNetwork(backend, shape, set.Rows, seed: 3);
        var input = new NetworkInput(Upload(backend, set.User, set.UserColumns), Upload(backend, set.Item, set.ItemColumns),
            Upload(backend, set.Image, set.ImageColumns), Upload(backend, set.Pair, set.PairColumns));
        var labels = Upload(backend, set.Labels, 1);
        var weights = Upload(backend, [.. set.Labels.Select(l => l > 0 ? 4f : 1f)], 1);
        var gradient = backend.Allocate(set.Rows, 1);
        double Loss() => backend.WeightedBinaryCrossEntropy(network.Forward(input, true, 17), labels, weights, gradient);
        Loss();
        network.Backward(gradient);
        // Every parameter of every part: the towers, the image tower, the fusion MLP and the batch norms.
        var gradients = network.Parameters.Select(p => backend.ToArray(p.Gradient)).ToList();
        for (var i = 0; i < gradients.Count; i++)
        {
            var p = network.Parameters[i];
            Network.GradientCheck.CompareAlongGradient(backend, p.Value, gradients[i], Loss, p.Name);
        }
        // Weights of every linear, scale and shift of every batch norm, and one bias, the output's: every other
        // linear feeds a batch norm, directly or through the fusion's first linear. User 3 + 4, item the same,
        // image 2 + 2, fusion 4 + 6 + 1.
        Assert.Equal(7 + 7 + 4 + 11, network.Parameters.Count);
        Assert.Equal(["fusion.3.bias"], network.Parameters.Where(p => p.Name.EndsWith(".bias", StringComparison.Ordinal) && !p.Name.Contains(".bn.", StringComparison.Ordinal)).Select(p => p.Name));
    }

    private static NetworkShape Shape(ExampleSet set) => new(set.UserColumns, set.ItemColumns, set.ImageColumns, set.PairColumns);

    private static Gpu.Tensors.Tensor Upload(CpuBackend backend, float[] values, int columns)
    {
        var t = backend.Allocate(values.Length / columns, columns);
        backend.Upload(values, t);
        return t;
    }
}
