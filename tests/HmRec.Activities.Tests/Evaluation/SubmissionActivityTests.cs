namespace HmRec.Activities.Tests.Evaluation;

public sealed class SubmissionActivityTests : IDisposable
{
    private readonly TinyData data = new();

    public void Dispose() => data.Dispose();

    [Theory]
    [InlineData(BaselinesActivity.RepurchaseThenPopular, 5L)]
    [InlineData(BaselinesActivity.GlobalTop, 1L)]
    public void Submission_WithoutRankers_ServesEveryCustomerWithTheFallback_InTheCompetitionFormat(string fallback, long first)
    {
        // The last week of the data: 1 x3, 2 x2, 3 x1. u's own purchase (5) is older.
        data.Buy("a", 1, -1).Buy("b", 1, -2).Buy("c", 1, -3).Buy("a", 2, -2).Buy("b", 2, -4).Buy("c", 3, -5).Buy("u", 5, 20).Buy("quiet", 5, 300);
        data.Ingest();
        TinyData.RunWeek(data.RunDirectory, TinyData.Options, LabelWeek.Next(TinyData.LastDay));

        var summary = SubmissionActivity.Run(new EvaluationTask(data.RunDirectory, TinyData.Options, [], fallback));

        var lines = File.ReadAllLines(summary.Path);
        Assert.Equal("customer_id,prediction", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1].Split(' '));
        Assert.Equal(["a", "b", "c", "quiet", "u", "zz-anchor"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(first.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), rows["u"][0]);
        Assert.All(rows.Values, ids => Assert.All(ids, id => Assert.Matches(@"^\d{10}$", id)));
        Assert.All(rows.Values, ids => Assert.Equal(ids.Length, ids.Distinct().Count()));
        Assert.Equal(6, summary.Customers);
        Assert.Equal(0, summary.RankedByModels);
        Assert.Equal(fallback, summary.FallbackModel);
    }
}
