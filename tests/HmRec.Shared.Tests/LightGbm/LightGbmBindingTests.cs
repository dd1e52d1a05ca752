using HmRec.Shared.LightGbm;

namespace HmRec.Shared.Tests.LightGbm;

/// <summary>The LightGBM binding against the NuGet package's lib_lightgbm: each objective learns a planted signal.</summary>
public sealed class LightGbmBindingTests : IDisposable
{
    private const int Features = 4;
    private static readonly string[] Names = ["signal", "half_signal", "noise_missing", "noise"];
    private readonly TempFolder dir = new("lgb");

    public LightGbmBindingTests() => Directory.CreateDirectory(dir);

    public void Dispose() => dir.Dispose();

    /// <summary>Rows in groups of 10; the signal is 2*x0 + x1 (x2 is noise with missing values, x3 noise); label 1 for each group's best row.</summary>
    private static (float[] X, float[] Y, uint[] Groups) Planted(int groups, int seed)
    {
        var random = new Random(seed);
        var x = new float[groups * 10 * Features];
        var y = new float[groups * 10];
        for (var g = 0; g < groups; g++)
        {
            var best = -1;
            var bestScore = double.MinValue;
            for (var i = 0; i < 10; i++)
            {
                var row = g * 10 + i;
                for (var f = 0; f < Features; f++)
                {
                    x[row * Features + f] = (float)random.NextDouble();
                }
                if (random.NextDouble() < 0.2)
                {
                    x[row * Features + 2] = float.NaN;
                }
                var score = 2 * x[row * Features] + x[row * Features + 1];
                if (score > bestScore)
                {
                    bestScore = score;
                    best = row;
                }
            }
            y[best] = 1;
        }
        return (x, y, Enumerable.Repeat(10u, groups).ToArray());
    }

    private static Dictionary<string, string> Parameters(string objective, int threads = 2) => new()
    {
        ["objective"] = objective,
        ["learning_rate"] = "0.1",
        ["num_leaves"] = "15",
        ["min_data_in_leaf"] = "5",
        ["feature_fraction"] = "0.8",
        ["bagging_fraction"] = "0.8",
        ["bagging_freq"] = "1",
        ["seed"] = "7",
        ["deterministic"] = "true",
        ["force_row_wise"] = "true",
        ["num_threads"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["metric"] = "None",
    };

    private static LgbmDataset Dataset((float[] X, float[] Y, uint[] Groups) data, Dictionary<string, string> parameters, LgbmDataset? reference = null) =>
        LgbmDataset.FromDense(data.X, data.Y.Length, Features, parameters, reference).SetLabels(data.Y).SetGroups(data.Groups).SetFeatureNames(Names);

    private static double Map(ReadOnlySpan<double> scores, (float[] X, float[] Y, uint[] Groups) data) =>
        CandidateMap.Compute(scores, data.Y, Enumerable.Range(0, data.Y.Length).ToArray(), data.Groups);

    [Theory]
    [InlineData("binary")]
    [InlineData("lambdarank")]
    [InlineData("rank_xendcg")]
    public void EachObjective_LearnsThePlantedSignal_AndTheValidationScoresFollowEachRound(string objective)
    {
        var p = Parameters(objective);
        var trainData = Planted(400, 1);
        var testData = Planted(200, 2);
        using var train = Dataset(trainData, p);
        using var test = Dataset(testData, p, train);
        using var booster = LgbmBooster.Create(train, p);
        var index = booster.AddValidation(test);
        Assert.Equal(1, index);
        var maps = new List<double>();
        for (var round = 0; round < 40; round++)
        {
            Assert.True(booster.UpdateOneIteration());
            maps.Add(Map(booster.ValidationScores(index), testData));
        }
        Assert.Equal(40, booster.Rounds);
        // Random order gives a MAP of about 0.29 with one positive in ten; the signal is learnt.
        Assert.True(maps[^1] > 0.75, $"{objective}: validation MAP {maps[^1]:F3} after 40 rounds");
        Assert.True(maps[^1] > maps[0], $"{objective}: no progress ({maps[0]:F3} -> {maps[^1]:F3})");
        // The per-round scores are the model's predictions, without a new pass over the rows.
        var predicted = booster.Predict(testData.X, testData.Y.Length);
        var cached = booster.ValidationScores(index).ToArray();
        Assert.Equal(predicted.Length, cached.Length);
        for (var i = 0; i < cached.Length; i++)
        {
            Assert.Equal(predicted[i], cached[i], 1e-9);
        }
        var importance = booster.FeatureImportance();
        Assert.Equal(Names.Order(StringComparer.Ordinal), importance.Keys.Order(StringComparer.Ordinal));
        Assert.True(importance["signal"] > importance["noise"], "the signal carries more gain than noise");
    }

    [Fact]
    public void ValidationSetPushedInBlocks_ScoresAsTheOneBuiltWhole_AndBlocksOutOfOrderAreRefused()
    {
        var p = Parameters("lambdarank");
        var trainData = Planted(300, 3);
        var testData = Planted(101, 4);
        using var train = Dataset(trainData, p);
        using var whole = Dataset(testData, p, train);
        var rows = testData.Y.Length;
        using var pushed = LgbmDataset.ByReference(train, rows);
        // Blocks of 333 rows: they cut through groups, as a part boundary cuts through a user's rows.
        for (var start = 0; start < rows; start += 333)
        {
            var count = Math.Min(333, rows - start);
            pushed.PushRows(testData.X.AsSpan(start * Features, count * Features), count, start);
        }
        pushed.SetLabels(testData.Y).SetGroups(testData.Groups).SetFeatureNames(Names);
        using var booster = LgbmBooster.Create(train, p);
        var a = booster.AddValidation(whole);
        var b = booster.AddValidation(pushed);
        for (var round = 0; round < 20; round++)
        {
            Assert.True(booster.UpdateOneIteration());
        }
        Assert.Equal(booster.ValidationScores(a).ToArray(), booster.ValidationScores(b).ToArray());
        Assert.True(Map(booster.ValidationScores(b), testData) > 0.6);

        using var partial = LgbmDataset.ByReference(train, rows);
        var error = Assert.Throws<ArgumentException>(() => partial.PushRows(testData.X.AsSpan(10 * Features, 5 * Features), 5, 10));
        Assert.Contains("do not follow the 0 rows pushed so far", error.Message);
    }

    [Fact]
    public void DeepBinary_WithEarlierRounds_PredictsWithTheFirstRoundsOnly()
    {
        var p = Parameters("binary");
        p["num_leaves"] = "127";
        p["max_depth"] = "15";
        var data = Planted(300, 3);
        using var train = Dataset(data, p);
        using var booster = LgbmBooster.Create(train, p);
        for (var i = 0; i < 20; i++)
        {
            booster.UpdateOneIteration();
        }
        var five = booster.Predict(data.X, data.Y.Length, rounds: 5);
        var all = booster.Predict(data.X, data.Y.Length);
        Assert.NotEqual(five, all);
        var path = Path.Combine(dir, "model.txt");
        booster.Save(path, rounds: 5);
        using var loaded = LgbmBooster.Load(path);
        Assert.Equal(Features, loaded.Columns);
        Assert.Equal(Names, loaded.FeatureNames());
        Assert.Equal(five, loaded.Predict(data.X, data.Y.Length));
        using var fromText = LgbmBooster.FromModelString(booster.ToModelString());
        Assert.Equal(all, fromText.Predict(data.X, data.Y.Length));
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("lambdarank")]
    [InlineData("rank_xendcg")]
    public void Training_IsDeterministic_AtOneAndTwoThreads(string objective)
    {
        var data = Planted(300, 4);
        string Model(int threads)
        {
            var p = Parameters(objective, threads);
            using var train = Dataset(data, p);
            using var booster = LgbmBooster.Create(train, p);
            for (var i = 0; i < 15; i++)
            {
                booster.UpdateOneIteration();
            }
            return string.Join(' ', booster.Predict(data.X, data.Y.Length).Select(v => BitConverter.DoubleToInt64Bits(v)));
        }
        var one = Model(1);
        Assert.Equal(one, Model(2));
        Assert.Equal(one, Model(1));
    }

    [Fact]
    public void LibraryLoad_SetsThePassiveWaitPolicy_AndLogLinesReachTheThreadsSink()
    {
        var lines = new List<string>();
        var data = Planted(50, 5);
        var p = Parameters("binary");
        p["verbosity"] = "1";
        // LightGBM's callback is per thread: a thread that never called LightGBM before is routed too.
        var thread = new Thread(() =>
        {
            using (LightGbmLibrary.Capture(lines.Add))
            {
                using var train = Dataset(data, p);
                using var booster = LgbmBooster.Create(train, p);
                booster.UpdateOneIteration();
            }
        });
        thread.Start();
        thread.Join();
        Assert.Equal("PASSIVE", LightGbmLibrary.WaitPolicy);
        Assert.Contains(lines, l => l.StartsWith("[LightGBM] [Info]", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain('\n', l));
    }

    [Fact]
    public void BadParameterOrShape_RaisesLightGbmsMessageOrNamesTheMismatch()
    {
        var data = Planted(20, 6);
        var p = Parameters("rank_no_such_thing");
        using var train = LgbmDataset.FromDense(data.X, data.Y.Length, Features, Parameters("binary")).SetLabels(data.Y);
        var e = Assert.Throws<LightGbmException>(() => LgbmBooster.Create(train, p));
        Assert.Contains("rank_no_such_thing", e.Message);
        Assert.Contains("needs 8 values", Assert.Throws<ArgumentException>(() => LgbmDataset.FromDense(new float[7], 2, 4, p)).Message);
        Assert.Contains("sum to 19", Assert.Throws<ArgumentException>(() => train.SetGroups([19u])).Message);
        Assert.Contains("spaces", Assert.Throws<ArgumentException>(() => LgbmDataset.FromDense(data.X, data.Y.Length, Features, new Dictionary<string, string> { ["objective"] = "a b" })).Message);
        Assert.Throws<FileNotFoundException>(() => LgbmBooster.Load(Path.Combine(dir, "missing.txt")));
    }
}
