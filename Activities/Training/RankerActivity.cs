using System.Runtime.InteropServices;
using HmRec.Shared.LightGbm;

namespace HmRec.Activities.Training;

/// <summary>
/// Stage 4A for one variant: trains a LightGBM model on the training label weeks' features (groups = one
/// user in one week), scores the validation week's candidates after every round with the competition's
/// MAP@12 (<see cref="CandidateMap"/>, each buyer's purchases outside the candidates included in the
/// denominator), stops after <c>EarlyStoppingRounds</c> rounds without a better one and keeps the best round.
/// Writes <c>models/{variant}/</c>: model.txt (LightGBM's text model, best round), training_log.csv (MAP@12
/// per round), lightgbm.log, feature_importance.csv (total gain), validation.parquet (a score per validation
/// candidate), test.parquet (a score per candidate of the week after the data) and summary.json. Skipped
/// when summary.json exists.
/// </summary>
public static class RankerActivity
{
    public const string Name = "TrainRanker";

    /// <summary>The week after the data is scored in parts of at most this many rows (<see cref="FeatureTable.ForEachPart"/>).</summary>
    public const int PredictionPartRows = 1_000_000;

    /// <summary>The activity: it reads every week's features and global tables and its own model folder; it reports its rounds.</summary>
    public static readonly ActivityDefinition<RankerTask, ModelSummary> Definition = new(Name, (_, t) => t.RunDirectory,
        t => ["features/**", "recall/week=*/global/**", $"models/{t.Variant}/**"],
        (host, t) => Task.Run(() => Run(t, host.Progress), host.Stopping));

    /// <param name="task">The model variant and the run.</param>
    /// <param name="progress">Where the rounds (with the validation MAP@12) and the scoring parts are reported; optional.</param>
    public static ModelSummary Run(RankerTask task, IProgress<string>? progress = null) => Run(task, PredictionPartRows, progress);

    /// <summary>
    /// One ranker trains at a time in a process: each already uses every core, and two at once would hold two feature
    /// tables, two DuckDB results and two LightGBM datasets. A model already trained (its summary written) is returned
    /// without waiting.
    /// </summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    internal static ModelSummary Run(RankerTask task, int predictionPartRows, IProgress<string>? progress = null)
    {
        var summaryPath = new RunLayout(task.RunDirectory).Model(task.Variant).Summary;
        if (File.Exists(summaryPath))
        {
            return JsonSerializer.Deserialize<ModelSummary>(File.ReadAllText(summaryPath))! with { Skipped = true };
        }
        OneAtATime.Wait();
        try
        {
            return Train(task, predictionPartRows, progress);
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static ModelSummary Train(RankerTask task, int predictionPartRows, IProgress<string>? progress)
    {
        var variant = task.Variant;
        var threads = task.Options.Training.Threads > 0 ? task.Options.Training.Threads : Environment.ProcessorCount;
        var parameters = RankerVariants.Parameters(variant, task.Options.Training, task.Options.Seed, threads);
        var layout = new RunLayout(task.RunDirectory);
        var directory = layout.Model(variant).Directory;
        var summaryPath = Path.Combine(directory, ModelFiles.Summary);
        // Checked again now that this ranker has the process: a redelivered copy of the same activity may have
        // finished it while this one waited.
        if (File.Exists(summaryPath))
        {
            return JsonSerializer.Deserialize<ModelSummary>(File.ReadAllText(summaryPath))! with { Skipped = true };
        }
        var clock = Stopwatch.StartNew();
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        var lightGbmLog = new StringBuilder();
        using var capture = LightGbmLibrary.Capture(line => lightGbmLog.Append(line).Append('\n'));
        // The feature tables' values are dropped once LightGBM has binned them (LoadMatrix): at full scale the
        // validation week alone is too large to keep as floats beside the binned datasets.
        using var train = LoadMatrix(session, layout.AllFeatures, "week >= 1", parameters, reference: null, predictionPartRows);
        using var validation = LoadMatrix(session, layout.AllFeatures, "week = 0", parameters, train.Data, predictionPartRows);
        if (train.Rows == 0 || train.Labels.All(l => l == 0) || validation.Rows == 0)
        {
            // Tiny or short data (a day of transactions): report it and let the evaluation go on with the baselines.
            var why = $"not trained: the training weeks hold {train.Rows} rows ({train.Labels.Count(l => l > 0)} positive) and the validation week {validation.Rows}";
            var empty = new ModelSummary(variant, directory, train.Rows, validation.Rows, 0, 0, 0, [], clock.Elapsed.TotalSeconds, Skipped: false, why);
            Directory.CreateDirectory(directory);
            JsonFile.Write(summaryPath, empty);
            return empty;
        }

        using var booster = LgbmBooster.Create(train.Data!, parameters);
        var validationSet = booster.AddValidation(validation.Data!);
        var bought = CandidateMap.PurchasesPerGroup(session.Connection, layout.Global(0, "labels"), validation.Users, validation.Groups);
        var best = -1;
        var bestMap = double.NegativeInfinity;
        var options = task.Options.Training;
        var log = new StringBuilder("round,validation_map12\n");
        var round = 0;
        var bestScores = new float[validation.Rows];
        for (; round < options.MaxRounds && round - best <= options.EarlyStoppingRounds; round++)
        {
            if (!booster.UpdateOneIteration())
            {
                break;
            }
            // LightGBM keeps the validation set's scores up to date as it adds trees: no new prediction.
            var current = booster.ValidationScores(validationSet);
            var map = CandidateMap.Compute(current, validation.Labels, validation.Items, validation.Groups, bought);
            log.Append(CultureInfo.InvariantCulture, $"{round + 1},{map:R}\n");
            if (map > bestMap)
            {
                bestMap = map;
                best = round;
                // The best round's scores are kept, so the validation rows need no second prediction.
                for (var i = 0; i < bestScores.Length; i++)
                {
                    bestScores[i] = (float)current[i];
                }
            }
            // Every round: whoever shows it (a terminal, a log, the orchestration's status) decides how often.
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{variant}: round {round + 1}, validation MAP@12 {map:F5} (best {bestMap:F5} at round {best + 1})"));
        }
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ModelFiles.TrainingLog), log.ToString());
        booster.Save(Path.Combine(directory, ModelFiles.RankerModel), rounds: best + 1);
        var gain = booster.FeatureImportance(gain: true, rounds: best + 1).Where(g => g.Value > 0).ToDictionary(g => g.Key, g => g.Value, StringComparer.Ordinal);
        var total = gain.Values.Sum();
        var importance = gain.OrderByDescending(g => g.Value).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FeatureImportance(g.Key, g.Value, total > 0 ? g.Value / total : 0)).ToList();
        var csv = new StringBuilder("feature,total_gain,share\n");
        foreach (var f in importance)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{f.Feature},{f.Gain:R},{f.Share:R}\n");
        }
        File.WriteAllText(layout.Model(variant).FeatureImportance, csv.ToString());

        ScoreFile.Write(session.Connection, validation.Users, validation.Items, bestScores, Path.Combine(directory, ModelFiles.Validation));
        // The week after the data holds every candidate of every recently active user: its files are read once, a
        // part at a time, each part scored as it comes.
        var scoring = Stopwatch.StartNew();
        var nextWeek = $"week = {LabelWeek.NextWeek}";
        var testFiles = layout.WeekFeatures(LabelWeek.NextWeek);
        var testRows = FeatureTable.Count(session.Connection, testFiles, nextWeek);
        var testUsers = new List<int>((int)testRows);
        var testItems = new List<int>((int)testRows);
        var testScores = new List<float>((int)testRows);
        // The model's best rounds scored in managed code (the same bits as LightGBM's prediction; see LgbmForest for why);
        // a model the forest cannot read is left to LightGBM.
        var forest = LgbmForest.TryParse(booster.ToModelString(best + 1));
        // Each part is scored on another thread while the next is read (reading leaves a core mostly idle), so two parts
        // are held at once, each half the size.
        Task<float[]>? scoringPart = null;
        void Collect()
        {
            if (scoringPart is { } part)
            {
                scoringPart = null;
                testScores.AddRange(part.GetAwaiter().GetResult());
                progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{variant}: scoring the week after the data, {testScores.Count:N0} of {testRows:N0} rows"));
            }
        }
        try
        {
            FeatureTable.ForEachPart(session.Connection, testFiles, nextWeek, Math.Max(1, predictionPartRows / 2), test =>
            {
                Collect();
                testUsers.AddRange(test.Users);
                testItems.AddRange(test.Items);
                scoringPart = Task.Run(() => Scores(booster, forest, test.Values, test.Rows, best + 1));
            });
            Collect();
        }
        finally
        {
            // After a failure in reading, no scoring may outlive the booster it uses (disposed on the way out).
            if (scoringPart is { } abandoned)
            {
                try
                {
                    abandoned.Wait();
                }
                catch (AggregateException)
                {
                    // The reading's failure is the one reported.
                }
            }
        }
        ScoreFile.Write(session.Connection, CollectionsMarshal.AsSpan(testUsers), CollectionsMarshal.AsSpan(testItems), CollectionsMarshal.AsSpan(testScores), Path.Combine(directory, ModelFiles.Test));

        File.WriteAllText(Path.Combine(directory, "lightgbm.log"), lightGbmLog.ToString());
        var summary = new ModelSummary(variant, directory, train.Rows, validation.Rows, round, best + 1, bestMap,
            importance.Take(20).ToList(), clock.Elapsed.TotalSeconds, Skipped: false)
        {
            TestScoringSeconds = scoring.Elapsed.TotalSeconds,
            TestRows = testRows,
        };
        JsonFile.Write(summaryPath, summary);
        return summary;
    }

    /// <summary>The model's scores (its first <paramref name="rounds"/> rounds, which <paramref name="forest"/> holds when there is one) of dense rows, as floats.</summary>
    private static float[] Scores(LgbmBooster booster, LgbmForest? forest, float[] values, int rows, int rounds)
    {
        var rowValues = values.AsSpan(0, rows * booster.Columns);
        var scores = forest?.Predict(rowValues, rows, booster.Columns) ?? booster.Predict(rowValues, rows, rounds);
        var result = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            result[i] = (float)scores[i];
        }
        return result;
    }

    /// <summary>
    /// The feature rows matching <paramref name="condition"/> as a LightGBM dataset with labels and groups
    /// (none when there are no rows), with their keys; the floats are left to the collector once LightGBM has
    /// binned them.
    /// </summary>
    private static Matrix LoadMatrix(AnalyticsSession session, string files, string condition, Dictionary<string, string> parameters, LgbmDataset? reference, int partRows)
    {
        var matrix = BinMatrix(session, files, condition, parameters, reference, partRows);
        // The floats (rows x features, large at full scale) are garbage once LightGBM has binned them: they are
        // released now, before the next matrix is read, rather than whenever the collector next looks at the large
        // object heap.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        return matrix;
    }

    private static Matrix BinMatrix(AnalyticsSession session, string files, string condition, Dictionary<string, string> parameters, LgbmDataset? reference, int partRows)
    {
        if (reference is not null)
        {
            return BinByParts(session, files, condition, reference, partRows);
        }
        var table = FeatureTable.Load(session.Connection, files, condition);
        LgbmDataset? data = null;
        if (table.Rows > 0)
        {
            data = LgbmDataset.FromDense(table.Values, table.Rows, table.Names.Count, parameters, reference)
                .SetFeatureNames(table.Names).SetLabels(table.Labels).SetGroups(table.Groups);
        }
        return new Matrix(data, table.Names, table.Users, table.Items, table.Labels, table.Groups);
    }

    /// <summary>
    /// A validation set binned with the training set's bins a part at a time: at full scale it is too large to hold
    /// as floats, so only <paramref name="partRows"/> rows are held at once. The same rows, order and groups as
    /// <see cref="FeatureTable.Load"/>.
    /// </summary>
    private static Matrix BinByParts(AnalyticsSession session, string files, string condition, LgbmDataset reference, int partRows)
    {
        var rows = checked((int)FeatureTable.Count(session.Connection, files, condition));
        if (rows == 0)
        {
            return new Matrix(null, [], [], [], [], []);
        }
        var data = LgbmDataset.ByReference(reference, rows);
        try
        {
            var keys = FeatureTable.ForEachOrderedPart(session.Connection, files, condition, rows, partRows,
                (part, at) => data.PushRows(part.Values, part.Rows, at));
            data.SetFeatureNames(keys.Names).SetLabels(keys.Labels).SetGroups(keys.Groups);
            return new Matrix(data, keys.Names, keys.Users, keys.Items, keys.Labels, keys.Groups);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    private sealed record Matrix(LgbmDataset? Data, IReadOnlyList<string> Names, int[] Users, int[] Items, float[] Labels, uint[] Groups) : IDisposable
    {
        public int Rows => Users.Length;

        public void Dispose() => Data?.Dispose();
    }
}

/// <summary>Input of one ranker: the run, its validation week, its options and the LightGBM variant to train.</summary>
public sealed record RankerTask(string RunDirectory, LabelWeek Week, HmRec.Activities.Options.PipelineOptions Options, string Variant);
