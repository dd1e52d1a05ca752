using HmRec.Activities.Common;
using HmRec.Activities.Recall;
using HmRec.Activities.Tests.Recall;
using HmRec.Activities.Training;
using HmRec.Shared.DuckDb;
using HmRec.Shared.Options;

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
        using var db = DuckDbDatabase.Open();
        using var c = db.Connect();
        var validationRows = c.Scalar<long>($"SELECT count(*) FROM read_parquet('{run}/features/week=0/*.parquet')");

        foreach (var variant in RankerVariants.All)
        {
            var summary = RankerActivity.Run(new ShardTask(run, LabelWeek.Of(fixture.Ingest.LastDay, 0), 0, options, variant));
            Assert.False(summary.Skipped);
            Assert.InRange(summary.BestValidationMap, 0.05, 1.0);
            Assert.InRange(summary.BestRound, 1, summary.Rounds);
            Assert.True(summary.Rounds == 60 || summary.Rounds - summary.BestRound == 10, $"{variant}: {summary.Rounds} rounds, best {summary.BestRound}");
            Assert.NotEmpty(summary.TopFeatures);
            Assert.Equal(validationRows, summary.ValidationRows);
            foreach (var file in new[] { "model.ubj", "feature_importance.csv", "validation.parquet", "summary.json" })
            {
                Assert.True(File.Exists(Path.Combine(summary.Directory, file)), file);
            }
            Assert.Equal(validationRows, c.Scalar<long>($"SELECT count(*) FROM read_parquet('{summary.Directory}/validation.parquet')"));
            var again = RankerActivity.Run(new ShardTask(run, LabelWeek.Of(fixture.Ingest.LastDay, 0), 0, options, variant));
            Assert.True(again.Skipped);
        }
    }
}
