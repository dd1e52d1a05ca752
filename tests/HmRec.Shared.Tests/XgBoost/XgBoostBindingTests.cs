using HmRec.Shared.XgBoost;

namespace HmRec.Shared.Tests.XgBoost;

/// <summary>The XGBoost binding against Debian's libxgboost: each objective learns a planted signal.</summary>
public sealed class XgBoostBindingTests : IDisposable
{
    private const int Features = 4;
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"hmrec-xgb-{Guid.NewGuid():N}");

    public XgBoostBindingTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

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

    private static readonly string[] Names = ["signal", "half_signal", "noise_missing", "noise"];

    private static XgDMatrix Matrix((float[] X, float[] Y, uint[] Groups) data) =>
        XgDMatrix.FromDense(data.X, data.Y.Length, Features).SetLabels(data.Y).SetGroups(data.Groups).SetFeatureNames(Names);

    /// <summary>Share of held-out groups whose highest prediction is the positive row.</summary>
    private static double TopHit(float[] predictions, float[] labels)
    {
        var hits = 0;
        for (var g = 0; g < labels.Length / 10; g++)
        {
            var top = Enumerable.Range(g * 10, 10).MaxBy(i => predictions[i]);
            hits += labels[top] == 1 ? 1 : 0;
        }
        return hits / (labels.Length / 10.0);
    }

    private static XgBooster Train(XgDMatrix train, XgDMatrix test, int rounds, params (string, string)[] parameters)
    {
        var booster = XgBooster.Create(train, test).SetFeatureNames(Names).Set("seed", "7").Set("nthread", "2").Set("eta", "0.3");
        foreach (var (name, value) in parameters)
        {
            booster.Set(name, value);
        }
        for (var i = 0; i < rounds; i++)
        {
            booster.UpdateOneIteration(i, train);
        }
        return booster;
    }

    [Fact]
    public void LibraryVersion_IsDebiansXgBoost() => Assert.StartsWith("1.", XgBooster.LibraryVersion);

    [Theory]
    [InlineData("binary:logistic")]
    [InlineData("rank:ndcg")]
    [InlineData("rank:map")]
    public void Objective_LearnsThePlantedSignal(string objective)
    {
        using var train = Matrix(Planted(400, 1));
        var testData = Planted(200, 2);
        using var test = Matrix(testData);
        using var booster = Train(train, test, 40, ("objective", objective), ("eval_metric", "map@12"), ("max_depth", "4"));

        var before = booster.Evaluate(0, ("test", test));
        Assert.True(before.ContainsKey("test-map@12"), string.Join(", ", before.Keys));
        var hit = TopHit(booster.Predict(test), testData.Y);
        Assert.True(hit > 0.6, $"{objective}: the top prediction is the planted best row in {hit:P0} of groups (chance: 10%)");
        Assert.Equal(40, booster.Rounds);
        // The planted features carry the gain; the noise barely any.
        var gain = booster.FeatureScores("gain");
        Assert.True(gain["signal"] > gain.GetValueOrDefault("noise"), string.Join(", ", gain));
    }

    [Fact]
    public void DeepClassifier_LossguideWithManyLeaves_Trains()
    {
        using var train = Matrix(Planted(300, 3));
        var testData = Planted(100, 4);
        using var test = Matrix(testData);
        using var booster = Train(train, test, 20, ("objective", "binary:logistic"), ("tree_method", "hist"), ("grow_policy", "lossguide"),
            ("max_leaves", "127"), ("max_depth", "15"));
        Assert.True(TopHit(booster.Predict(test), testData.Y) > 0.5);
        var logloss = booster.Evaluate(19, ("train", train))["train-logloss"];
        Assert.InRange(logloss, 0, 0.3);
    }

    [Fact]
    public void Weights_ZeroWeightRowsWithWrongLabels_AreIgnored()
    {
        // Every second group has its labels reversed; with weight 0 on those rows the planted signal still wins.
        var data = Planted(400, 9);
        var labels = data.Y.ToArray();
        var weights = new float[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            var corrupt = i / 10 % 2 == 1;
            labels[i] = corrupt ? 1 - labels[i] : labels[i];
            weights[i] = corrupt ? 0 : 1;
        }
        using var weighted = XgDMatrix.FromDense(data.X, labels.Length, Features).SetLabels(labels).SetWeights(weights);
        var testData = Planted(200, 10);
        using var test = Matrix(testData);
        using var booster = Train(weighted, test, 40, ("objective", "binary:logistic"), ("max_depth", "4"));
        Assert.True(TopHit(booster.Predict(test), testData.Y) > 0.6);
        Assert.Contains("expected 4000", Assert.Throws<ArgumentException>(() => weighted.SetLabels(new float[3])).Message);
    }

    [Fact]
    public void SaveAndLoad_FileAndBytes_JsonAndUbj_GiveIdenticalPredictions()
    {
        using var train = Matrix(Planted(100, 5));
        using var booster = Train(train, train, 10, ("objective", "rank:ndcg"));
        booster.SetAttribute("best_iteration", "9");
        var expected = booster.Predict(train);

        foreach (var file in new[] { "model.json", "model.ubj" })
        {
            booster.Save(Path.Combine(dir, file));
            using var loaded = XgBooster.Load(Path.Combine(dir, file));
            Assert.Equal(expected, loaded.Predict(train));
            Assert.Equal("9", loaded.GetAttribute("best_iteration"));
        }
        Assert.StartsWith("{", File.ReadAllText(Path.Combine(dir, "model.json")), StringComparison.Ordinal);
        foreach (var format in new[] { "json", "ubj" })
        {
            using var fromBytes = XgBooster.FromBytes(booster.ToBytes(format));
            Assert.Equal(expected, fromBytes.Predict(train));
        }
        // Predicting with fewer rounds uses fewer trees.
        Assert.NotEqual(expected, booster.Predict(train, rounds: 2));
    }

    [Fact]
    public void Training_SameSeed_GivesTheSamePredictions()
    {
        using var train = Matrix(Planted(100, 6));
        using var a = Train(train, train, 15, ("objective", "binary:logistic"), ("subsample", "0.8"), ("colsample_bytree", "0.8"));
        using var b = Train(train, train, 15, ("objective", "binary:logistic"), ("subsample", "0.8"), ("colsample_bytree", "0.8"));
        Assert.Equal(a.Predict(train), b.Predict(train));
    }

    [Fact]
    public void BadParameterOrShape_RaisesXgBoostsMessageOrNamesTheMismatch()
    {
        using var train = Matrix(Planted(10, 8));
        using var booster = XgBooster.Create(train).Set("objective", "rank:no_such_thing");
        var e = Assert.Throws<XgBoostException>(() => booster.UpdateOneIteration(0, train));
        Assert.Contains("rank:no_such_thing", e.Message);

        using var badDepth = XgBooster.Create(train).Set("max_depth", "-3");
        Assert.Contains("max_depth", Assert.Throws<XgBoostException>(() => badDepth.UpdateOneIteration(0, train)).Message);

        Assert.Contains("needs 8 values", Assert.Throws<ArgumentException>(() => XgDMatrix.FromDense(new float[7], 2, 4)).Message);
        using var m = XgDMatrix.FromDense(new float[8], 2, 4);
        Assert.Contains("sum to 3", Assert.Throws<ArgumentException>(() => m.SetGroups([1, 2])).Message);
        Assert.Contains("4 columns", Assert.Throws<ArgumentException>(() => m.SetFeatureNames(["a"])).Message);
    }
}
