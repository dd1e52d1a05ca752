using HmRec.Activities.Training;
using HmRec.Shared.LightGbm;

namespace HmRec.Activities.Tests.Training;

public sealed class RankerActivityTests(GeneratedRunFixture fixture) : IClassFixture<GeneratedRunFixture>
{
    [Fact]
    public void Train_EachVariant_LearnsFromTrainingWeeks_StopsEarly_AndWritesItsOutputs()
    {
        var run = fixture.NewRun("train");
        var options = GeneratedRunFixture.Options with { Training = new TrainingOptions { MaxRounds = 60, EarlyStoppingRounds = 10 } };
        for (var w = 0; w <= options.Ingest.TrainingWeeks; w++)
        {
            TinyData.RunWeek(run, options, LabelWeek.Of(fixture.Ingest.LastDay, w));
        }
        TinyData.RunWeek(run, options, LabelWeek.Next(fixture.Ingest.LastDay));
        using var c = DuckDb.Open();
        var validationRows = c.Scalar<long>($"SELECT count(*) FROM read_parquet('{run}/features/week=0/*.parquet')");
        var bought = new Dictionary<int, HashSet<int>>();
        using (var labels = c.Query($"SELECT customer_idx, article_idx FROM read_parquet('{new RunLayout(run).Global(0, "labels")}')"))
        {
            var rows = labels.ReadAll();
            var users = rows.Get<int>("customer_idx").Values;
            var items = rows.Get<int>("article_idx").Values;
            for (var i = 0; i < users.Length; i++)
            {
                (bought.TryGetValue(users[i], out var set) ? set : bought[users[i]] = []).Add(items[i]);
            }
        }
        Assert.Contains(bought.Values, b => b.Count > 1);

        foreach (var variant in RankerVariants.All)
        {
            var summary = RankerActivity.Run(new RankerTask(run, LabelWeek.Of(fixture.Ingest.LastDay, 0), options, variant));
            Assert.False(summary.Skipped);
            Assert.InRange(summary.BestValidationMap, 0.05, 1.0);
            Assert.InRange(summary.BestRound, 1, summary.Rounds);
            Assert.True(summary.Rounds == 60 || summary.Rounds - summary.BestRound == 10, $"{variant}: {summary.Rounds} rounds, best {summary.BestRound}");
            Assert.NotEmpty(summary.TopFeatures);
            Assert.Equal(validationRows, summary.ValidationRows);
            foreach (var file in new[] { "model.txt", "feature_importance.csv", "training_log.csv", "validation.parquet", "summary.json" })
            {
                Assert.True(File.Exists(Path.Combine(summary.Directory, file)), file);
            }
            Assert.Equal(validationRows, c.Scalar<long>($"SELECT count(*) FROM read_parquet('{summary.Directory}/validation.parquet')"));

            // The log has a MAP@12 per round, and the best of them is the best round's.
            var log = File.ReadAllLines(Path.Combine(summary.Directory, "training_log.csv")).Skip(1)
                .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(summary.Rounds, log.Count);
            Assert.Equal(summary.BestValidationMap, log.Max());
            Assert.Equal(summary.BestRound, log.IndexOf(log.Max()) + 1);
            // It is the competition's MAP@12 of the scores written, over the buyers with candidates: purchases
            // outside the candidates count in each buyer's denominator.
            using var scored = c.Query($"SELECT customer_idx, article_idx, score FROM read_parquet('{summary.Directory}/validation.parquet')");
            var rows = scored.ReadAll();
            var users = rows.Get<int>("customer_idx").Values;
            var ranked = RankingMetrics.Rank(users, rows.Get<int>("article_idx").Values, rows.Get<float>("score").Values);
            var withCandidates = users.ToHashSet();
            var buyers = bought.Where(b => withCandidates.Contains(b.Key)).ToDictionary();
            var candidates = users.Zip(rows.Get<int>("article_idx").Values).ToLookup(x => x.First, x => x.Second);
            Assert.Contains(buyers, b => b.Value.Except(candidates[b.Key]).Any());
            Assert.Equal(RankingMetrics.Evaluate(ranked, buyers).Map12, summary.BestValidationMap, 9);
            var again = RankerActivity.Run(new RankerTask(run, LabelWeek.Of(fixture.Ingest.LastDay, 0), options, variant));
            Assert.True(again.Skipped);
        }

        // The week after the data, scored in parts of at most 50 rows by a second training, gets the same scores.
        var testRows = c.Scalar<long>($"SELECT count(*) FROM read_parquet('{run}/models/lgb_binary/test.parquet')");
        Assert.True(testRows > 200, $"{testRows} rows in the week after the data");
        // Those scores (the managed forest's) are LightGBM's own prediction of the saved model, as floats.
        using (var booster = LgbmBooster.Load(Path.Combine(run, "models", "lgb_binary", "model.txt")))
        {
            var week = FeatureTable.Load(c, new RunLayout(run).WeekFeatures(LabelWeek.NextWeek), $"week = {LabelWeek.NextWeek}");
            var expected = booster.Predict(week.Values, week.Rows);
            var scores = new Dictionary<(int, int), float>();
            using (var command = c.CreateCommand())
            {
                command.CommandText = $"SELECT customer_idx, article_idx, score FROM read_parquet('{run}/models/lgb_binary/test.parquet')";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    scores[(reader.GetInt32(0), reader.GetInt32(1))] = reader.GetFloat(2);
                }
            }
            Assert.Equal(week.Rows, scores.Count);
            for (var i = 0; i < week.Rows; i++)
            {
                Assert.Equal((float)expected[i], scores[(week.Users[i], week.Items[i])]);
            }
        }
        var parts = run + "-parts";
        var models = $"{Path.DirectorySeparatorChar}models{Path.DirectorySeparatorChar}";
        foreach (var file in Directory.EnumerateFiles(run, "*", SearchOption.AllDirectories).Where(f => !f.Contains(models, StringComparison.Ordinal)))
        {
            var target = Path.Combine(parts, Path.GetRelativePath(run, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        RankerActivity.Run(new RankerTask(parts, LabelWeek.Of(fixture.Ingest.LastDay, 0), options, "lgb_binary"), predictionPartRows: 50);
        Assert.Equal(0L, c.Scalar<long>($"""
            SELECT count(*) FROM (SELECT * FROM read_parquet('{run}/models/lgb_binary/test.parquet')
                                  EXCEPT ALL SELECT * FROM read_parquet('{parts}/models/lgb_binary/test.parquet'))
            """));
        Assert.Equal(testRows, c.Scalar<long>($"SELECT count(*) FROM read_parquet('{parts}/models/lgb_binary/test.parquet')"));
        // The validation week was binned in parts of 50 rows too, cutting users' rows apart: the same scores.
        Assert.Equal(0L, c.Scalar<long>($"""
            SELECT count(*) FROM (SELECT * FROM read_parquet('{run}/models/lgb_binary/validation.parquet')
                                  EXCEPT ALL SELECT * FROM read_parquet('{parts}/models/lgb_binary/validation.parquet'))
            """));
    }
}
