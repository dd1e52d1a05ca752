using System.Globalization;
using HmRec.Shared.LightGbm;

namespace HmRec.Shared.Tests.LightGbm;

/// <summary>The managed forest against LightGBM's own prediction: the same bits for every row.</summary>
public sealed class LgbmForestTests
{
    private const int Features = 6;

    /// <summary>
    /// Groups of 10 rows; the label follows 2*x0 + x1 + x2 where x2 is often missing or zero; x3 holds zeros,
    /// values within 1e-35 of zero and negative zeros; x4 takes a few values; x5 is noise.
    /// </summary>
    private static (float[] X, float[] Y, uint[] Groups) Data(int groups, int seed)
    {
        var random = new Random(seed);
        var x = new float[groups * 10 * Features];
        var y = new float[groups * 10];
        for (var row = 0; row < y.Length; row++)
        {
            var v = x.AsSpan(row * Features, Features);
            v[0] = (float)random.NextDouble();
            v[1] = (float)random.NextDouble();
            v[2] = random.NextDouble() switch { < 0.2 => float.NaN, < 0.4 => 0f, var u => (float)u };
            v[3] = random.Next(5) switch { 0 => 0f, 1 => 1e-36f, 2 => -0f, 3 => -1e-38f, _ => (float)random.NextDouble() - 0.5f };
            v[4] = random.Next(4);
            v[5] = (float)random.NextDouble();
            var signal = 2 * v[0] + v[1] + (float.IsNaN(v[2]) ? 0.3f : v[2]) + (v[3] > 0 ? 0.2f : 0f);
            y[row] = signal + 0.3 * random.NextDouble() > 2.4 ? 1 : 0;
        }
        return (x, y, Enumerable.Repeat(10u, groups).ToArray());
    }

    private static Dictionary<string, string> Parameters(string objective, int leaves, bool zeroAsMissing) => new()
    {
        ["objective"] = objective,
        ["learning_rate"] = "0.1",
        ["num_leaves"] = leaves.ToString(CultureInfo.InvariantCulture),
        ["min_data_in_leaf"] = "3",
        ["seed"] = "5",
        ["deterministic"] = "true",
        ["force_row_wise"] = "true",
        ["num_threads"] = "2",
        ["metric"] = "None",
        ["zero_as_missing"] = zeroAsMissing ? "true" : "false",
    };

    [Theory]
    [InlineData("binary", 15, false)]
    [InlineData("binary", 127, true)]
    [InlineData("lambdarank", 15, false)]
    [InlineData("lambdarank", 31, true)]
    [InlineData("rank_xendcg", 15, false)]
    public void Predict_GivesLightGbmsScoresToTheBit(string objective, int leaves, bool zeroAsMissing)
    {
        var p = Parameters(objective, leaves, zeroAsMissing);
        var train = Data(300, 1);
        var test = Data(257, 2); // 2,570 rows: several blocks of 512 and a tail that is not a multiple of 4
        using var set = LgbmDataset.FromDense(train.X, train.Y.Length, Features, p).SetLabels(train.Y).SetGroups(train.Groups);
        using var booster = LgbmBooster.Create(set, p);
        for (var round = 0; round < 60; round++)
        {
            booster.UpdateOneIteration();
        }

        foreach (var rounds in new[] { 1, 17, 60 })
        {
            var model = booster.ToModelString(rounds);
            var forest = LgbmForest.TryParse(model);
            Assert.NotNull(forest);
            Assert.Equal(rounds, forest.Trees);
            var expected = booster.Predict(test.X, test.Y.Length, rounds);
            foreach (var threads in new[] { 1, 2 })
            {
                var actual = forest.Predict(test.X, test.Y.Length, Features, threads);
                for (var i = 0; i < expected.Length; i++)
                {
                    Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                        $"{objective}, {rounds} rounds, {threads} threads, row {i}: LightGBM {expected[i]:R}, forest {actual[i]:R}");
                }
            }
        }
        if (zeroAsMissing)
        {
            // The missing type Zero was exercised: some split has it (decision_type bits 2-3 = 1).
            var decisions = booster.ToModelString().Split('\n').Where(l => l.StartsWith("decision_type=", StringComparison.Ordinal))
                .SelectMany(l => l["decision_type=".Length..].Split(' ')).Select(d => int.Parse(d, CultureInfo.InvariantCulture));
            Assert.Contains(decisions, d => ((d >> 2) & 3) == 1);
        }
    }

    [Fact]
    public void TryParse_LeavesModelsItCannotScoreToLightGbm()
    {
        var p = Parameters("regression", 7, false);
        var train = Data(50, 3);
        using var set = LgbmDataset.FromDense(train.X, train.Y.Length, Features, p).SetLabels(train.Y);
        using var booster = LgbmBooster.Create(set, p);
        booster.UpdateOneIteration();

        Assert.Null(LgbmForest.TryParse(booster.ToModelString()));
        Assert.Null(LgbmForest.TryParse("not a model"));
    }
}
