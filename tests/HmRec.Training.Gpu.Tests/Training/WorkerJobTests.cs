using System.Text.Json;
using DuckDB.NET.Data;
using HmRec.Shared.Analytics;

namespace HmRec.Training.Gpu.Tests.Training;

public sealed class WorkerJobTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("hmrec-worker-");

    public void Dispose() => directory.Delete(true);

    [Fact]
    public void Run_FeaturesFolder_WritesModelScoresLogAndSummary()
    {
        var features = WriteFeatures(directory.FullName);
        var output = Path.Combine(directory.FullName, "out");
        var lines = new List<string>();
        var options = new WorkerOptions(features, output, new TrainerOptions { BatchSize = 512, MaxEpochs = 4, LearningRate = 3e-3f, Seed = 3 }, "cpu");

        var summary = WorkerJob.Run(options, lines.Add);

        Assert.Null(summary.NotTrained);
        Assert.Equal(("cpu", 2, 2, 3), (summary.Device, summary.UserFeatures, summary.ItemFeatures, summary.PairFeatures));
        Assert.Equal(2 * 300 * 10, summary.TrainRows);
        Assert.Equal(300 * 10, summary.ValidationRows);
        Assert.Equal(100 * 10, summary.TestRows);
        Assert.InRange(summary.BestEpoch, 1, 4);
        Assert.True(summary.BestValidationMap > 0.6, $"validation MAP@12 {summary.BestValidationMap}");
        Assert.Contains(lines, l => l.StartsWith("epoch 1:", StringComparison.Ordinal));

        var written = JsonSerializer.Deserialize<WorkerSummary>(File.ReadAllText(Path.Combine(output, ModelFiles.Summary)))!;
        Assert.Equal(summary.BestValidationMap, written.BestValidationMap);
        var log = File.ReadAllLines(Path.Combine(output, WorkerJob.LogFile));
        Assert.Equal(summary.Epochs + 1, log.Length);
        Assert.StartsWith("epoch,train_loss,validation_map12", log[0], StringComparison.Ordinal);
        Assert.Equal(["checkpoint.hmtc", "model.hmtt", "summary.json", "test.parquet", "training_log.csv", "validation.parquet"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        using var connection = DuckDb.Open();
        Assert.Equal(3000L, connection.Scalar<long>($"SELECT count(*) FROM read_parquet('{output}/validation.parquet') WHERE score BETWEEN 0 AND 1"));
        Assert.Equal(1000L, connection.Scalar<long>($"SELECT count(DISTINCT (customer_idx, article_idx)) FROM read_parquet('{output}/test.parquet')"));
        var header = ModelFile.ReadHeader(Path.Combine(output, ModelFile.FileName));
        Assert.Equal(["u_a", "u_b", "i_a", "i_b", "ui_a", "popularity_score", "n_strategies"], header.FeatureNames);
        Assert.Equal([0, 1], header.Split.User);
        Assert.Equal([2, 3], header.Split.Item);
        Assert.Equal([4, 5, 6], header.Split.Pair);
    }

    [Fact]
    public void Run_WithTheWeeksPurchases_ValidationMapIsTheCompetitionsOverTheScoresWritten()
    {
        var features = WriteFeatures(directory.FullName);
        var output = Path.Combine(directory.FullName, "out");
        var labels = WriteLabels(features);
        var lines = new List<string>();

        var summary = WorkerJob.Run(new WorkerOptions(features, output, new TrainerOptions { BatchSize = 512, MaxEpochs = 3, LearningRate = 3e-3f, Seed = 3 }, "cpu", Labels: labels), lines.Add);

        Assert.Contains(lines, l => l.StartsWith("validation purchases: ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("early stopping watches", StringComparison.Ordinal));
        Assert.Equal(MapOfScores(labels, output, _ => true), summary.BestValidationMap, 12);
    }

    [Fact]
    public void Run_LargeValidationWeek_EarlyStoppingWatchesEveryKthUser_AndTheWholeWeekIsScored()
    {
        var features = WriteFeatures(directory.FullName);
        var output = Path.Combine(directory.FullName, "out");
        var labels = WriteLabels(features);
        var lines = new List<string>();

        // 3,000 validation rows, at most about 1,000 watched: every third user.
        var summary = WorkerJob.Run(new WorkerOptions(features, output, new TrainerOptions { BatchSize = 512, MaxEpochs = 3, LearningRate = 3e-3f, Seed = 3 }, "cpu",
            Labels: labels, EarlyStoppingRows: 1000), lines.Add);

        Assert.Contains("early stopping watches one validation user in 3: 1,000 rows", lines);
        Assert.Equal(3000, summary.ValidationRows);
        using var connection = DuckDb.Open();
        Assert.Equal(3000L, connection.Scalar<long>($"SELECT count(DISTINCT (customer_idx, article_idx)) FROM read_parquet('{output}/validation.parquet')"));
        // The MAP early stopping saw is the watched users', over the scores written for the whole week.
        Assert.Equal(MapOfScores(labels, output, u => u % 3 == 0), summary.BestValidationMap, 12);
        Assert.NotEqual(MapOfScores(labels, output, _ => true), summary.BestValidationMap, 12);
    }

    /// <summary>The validation week's purchases: the positive candidates, and 4 items outside the candidates for every third user.</summary>
    private string WriteLabels(string features)
    {
        var labels = Path.Combine(directory.FullName, "labels.parquet");
        using var connection = DuckDb.Open();
        connection.Execute($"""
            COPY (SELECT customer_idx, article_idx FROM read_parquet('{features}/week=0/*.parquet') WHERE label > 0
                  UNION ALL
                  SELECT customer_idx, (1000000 + k)::INTEGER FROM (SELECT DISTINCT customer_idx FROM read_parquet('{features}/week=0/*.parquet') WHERE customer_idx % 3 = 0), range(4) t(k))
            TO '{labels}' (FORMAT parquet)
            """);
        return labels;
    }

    /// <summary>
    /// MAP@12 recomputed from validation.parquet over the buyers <paramref name="counted"/> keeps: each user's candidates
    /// by score (ties by item), precision at each of the first 12 ranks that holds a purchase, over min(items bought, 12).
    /// </summary>
    private static double MapOfScores(string labels, string output, Func<int, bool> counted)
    {
        using var connection = DuckDb.Open();
        var bought = new Dictionary<int, HashSet<int>>();
        using (var r = connection.Query($"SELECT customer_idx, article_idx FROM read_parquet('{labels}')"))
        {
            var rows = r.ReadAll();
            foreach (var (u, i) in rows.Get<int>("customer_idx").Values.Zip(rows.Get<int>("article_idx").Values))
            {
                (bought.TryGetValue(u, out var set) ? set : bought[u] = []).Add(i);
            }
        }
        Assert.Contains(bought.Values, b => b.Count > 4);
        var scored = new List<(int User, int Item, float Score)>();
        using (var r = connection.Query($"SELECT customer_idx, article_idx, score FROM read_parquet('{output}/validation.parquet')"))
        {
            var rows = r.ReadAll();
            var (users, items, scores) = (rows.Get<int>("customer_idx").Values, rows.Get<int>("article_idx").Values, rows.Get<float>("score").Values);
            scored.AddRange(users.Select((u, i) => (u, items[i], scores[i])));
        }
        return scored.GroupBy(x => x.User).Where(g => bought.ContainsKey(g.Key) && counted(g.Key)).Select(g =>
        {
            var items = bought[g.Key];
            double hits = 0, sum = 0;
            var k = 0;
            foreach (var x in g.OrderByDescending(x => x.Score).ThenBy(x => x.Item).Take(12))
            {
                k++;
                if (items.Contains(x.Item))
                {
                    sum += ++hits / k;
                }
            }
            return sum / Math.Min(items.Count, 12);
        }).Average();
    }

    [Fact]
    public void Run_WeekAfterTheDataInParts_ScoresAsInOne()
    {
        var features = WriteFeatures(directory.FullName);
        var trainer = new TrainerOptions { BatchSize = 512, MaxEpochs = 2, LearningRate = 3e-3f, Seed = 3 };
        var whole = Path.Combine(directory.FullName, "whole");
        var parts = Path.Combine(directory.FullName, "parts");
        var wholeSummary = WorkerJob.Run(new WorkerOptions(features, whole, trainer, "cpu"), _ => { });
        var summary = WorkerJob.Run(new WorkerOptions(features, parts, trainer, "cpu", PredictionPartRows: 70), _ => { });

        Assert.Equal(1000, summary.TestRows);
        // The validation week is read in parts of 70 rows too, cutting users' rows apart: the same set, so the same epochs.
        Assert.Equal(3000, summary.ValidationRows);
        Assert.Equal(wholeSummary.BestEpoch, summary.BestEpoch);
        Assert.Equal(wholeSummary.BestValidationMap, summary.BestValidationMap, 12);
        using var connection = DuckDb.Open();
        Assert.Equal(1000L, connection.Scalar<long>($"SELECT count(*) FROM read_parquet('{parts}/test.parquet')"));
        // The same rows and scores; the matrix products of smaller batches may round the last bits differently.
        Assert.Equal(1000L, connection.Scalar<long>($"""
            SELECT count(*) FROM read_parquet('{whole}/test.parquet') a JOIN read_parquet('{parts}/test.parquet') b USING (customer_idx, article_idx)
            WHERE abs(a.score - b.score) <= 1e-6 * greatest(abs(a.score), 1e-3)
            """));
    }

    [Fact]
    public void Run_StoppedAfterAnEpoch_ResumesFromItsCheckpointAndWritesWhatAnUninterruptedRunWrites()
    {
        var features = WriteFeatures(directory.FullName);
        var trainer = new TrainerOptions { BatchSize = 512, MaxEpochs = 4, Patience = 10, LearningRate = 3e-3f, Seed = 3 };
        var whole = Path.Combine(directory.FullName, "whole");
        var expected = WorkerJob.Run(new WorkerOptions(features, whole, trainer, "cpu"), _ => { });

        var output = Path.Combine(directory.FullName, "out");
        using var stop = new CancellationTokenSource();
        var saved = 0;
        var options = new WorkerOptions(features, output, trainer, "cpu", EpochSaved: () =>
        {
            if (++saved == 2)
            {
                stop.Cancel(); // as if the process died after its second epoch
            }
        });
        Assert.Throws<OperationCanceledException>(() => WorkerJob.Run(options, _ => { }, stop.Token));
        Assert.True(File.Exists(Path.Combine(output, TrainingCheckpoint.FileName)));
        Assert.False(File.Exists(Path.Combine(output, ModelFiles.Summary)));

        var lines = new List<string>();
        var summary = WorkerJob.Run(options with { EpochSaved = null }, lines.Add);

        Assert.Contains(lines, l => l.StartsWith("resuming from checkpoint.hmtc after epoch 2 ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("epoch 1:", StringComparison.Ordinal));
        Assert.Equal((expected.Epochs, expected.BestEpoch, expected.BestValidationMap), (summary.Epochs, summary.BestEpoch, summary.BestValidationMap));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, ModelFile.FileName)), File.ReadAllBytes(Path.Combine(output, ModelFile.FileName)));
        // The log holds every epoch, the resumed ones included; only the timings differ.
        static string[] Log(string folder) => [.. File.ReadAllLines(Path.Combine(folder, WorkerJob.LogFile)).Select(l => string.Join(',', l.Split(',')[..4]))];
        Assert.Equal(Log(whole), Log(output));
        using var connection = DuckDb.Open();
        Assert.Equal(0L, connection.Scalar<long>(
            $"""
            SELECT count(*) FROM read_parquet('{whole}/validation.parquet') a
            FULL JOIN read_parquet('{output}/validation.parquet') b USING (customer_idx, article_idx)
            WHERE a.score IS DISTINCT FROM b.score
            """));
    }

    [Fact]
    public void Train_MissingFeatures_ExitsWithOneAndRecordsTheError()
    {
        var output = Path.Combine(directory.FullName, "out");
        var missing = Path.Combine(directory.FullName, "nothing-here");
        var code = WorkerCli.Train(new WorkerOptions(missing, output, new TrainerOptions(), "cpu"));
        Assert.Equal(1, code);
        var error = File.ReadAllText(Path.Combine(output, ModelFiles.WorkerError));
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, ModelFiles.Summary)));
    }

    [Fact]
    public void Train_BadOption_NamesTheOption()
    {
        var output = Path.Combine(directory.FullName, "out");
        var code = WorkerCli.Train(new WorkerOptions(WriteFeatures(directory.FullName), output, new TrainerOptions { Dropout = 1.5f }, "cpu"));
        Assert.Equal(1, code);
        Assert.Contains("--dropout", File.ReadAllText(Path.Combine(output, ModelFiles.WorkerError)), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoTrainingRows_WritesANotTrainedSummaryAndNoScores()
    {
        var features = WriteFeatures(directory.FullName, trainingWeeks: 0);
        var output = Path.Combine(directory.FullName, "out");
        var summary = WorkerJob.Run(new WorkerOptions(features, output, new TrainerOptions(), "cpu"), _ => { });
        Assert.NotNull(summary.NotTrained);
        Assert.True(File.Exists(Path.Combine(output, ModelFiles.Summary)));
        Assert.False(File.Exists(Path.Combine(output, ModelFiles.Validation)));
    }

    [Fact]
    public void Run_ImageEmbeddings_AddsTheImageTower()
    {
        var features = WriteFeatures(directory.FullName);
        var (embeddings, articles) = WriteImages(directory.FullName, "[1.0, 0.5, -0.5, 2.0]", "[0.0, 1.0, 1.0, -1.0]");
        var output = Path.Combine(directory.FullName, "out");
        var options = new WorkerOptions(features, output, new TrainerOptions { BatchSize = 512, MaxEpochs = 1, Seed = 3 }, "cpu", embeddings, articles);

        var summary = WorkerJob.Run(options, _ => { });

        Assert.Equal(4, summary.ImageDimensions);
        Assert.Equal(4, ModelFile.ReadHeader(Path.Combine(output, ModelFile.FileName)).Shape.ImageInputs);
    }

    [Fact]
    public void Run_ImageEmbeddingsOfTwoLengths_IsAnErrorNamingTheFileAndColumn()
    {
        var features = WriteFeatures(directory.FullName);
        var (embeddings, articles) = WriteImages(directory.FullName, "[1.0, 0.5, -0.5, 2.0]", "[0.0, 1.0]");
        var options = new WorkerOptions(features, Path.Combine(directory.FullName, "out"), new TrainerOptions(), "cpu", embeddings, articles);

        var error = Assert.Throws<InputDataException>(() => WorkerJob.Run(options, _ => { }));

        Assert.Contains(embeddings, error.Message, StringComparison.Ordinal);
        Assert.Contains("embedding", error.Message, StringComparison.Ordinal);
        Assert.Contains("found lengths 2, 4", error.Message, StringComparison.Ordinal);
    }

    /// <summary>articles.parquet for the sample's 10 articles and an embeddings file for 8 of them (odd ones get <paramref name="odd"/>).</summary>
    private static (string Embeddings, string Articles) WriteImages(string root, string even, string odd)
    {
        var embeddings = Path.Combine(root, "images.parquet");
        var articles = Path.Combine(root, "articles.parquet");
        using var connection = DuckDb.Open();
        connection.Execute($"COPY (SELECT (100 + k)::BIGINT AS article_id, k::INTEGER AS article_idx FROM range(10) t(k)) TO '{articles}' (FORMAT parquet)");
        connection.Execute($"COPY (SELECT (100 + k)::BIGINT AS article_id, (CASE WHEN k % 2 = 0 THEN {even} ELSE {odd} END)::FLOAT[] AS embedding FROM range(8) t(k)) TO '{embeddings}' (FORMAT parquet)");
        return (embeddings, articles);
    }

    private static string WriteFeatures(string root, int trainingWeeks = 2) => SampleFeatures.Write(Path.Combine(root, "features"), 300, trainingWeeks);
}
