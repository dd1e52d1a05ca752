using HmRec.Shared.Synthetic;

namespace HmRec.Orchestrators.Tests.Pipeline;

/// <summary>
/// The promotion step over two weekly runs on data a week apart (the generator's withheld week): a run becomes the
/// champion only when its best ranker is not worse than the champion's scored on its own validation week, the champion
/// serves its submission, and every decision is in the history.
/// </summary>
public sealed class PromotionTests(TaskHubFixture hub) : PipelineHostTests(hub, "promotion")
{
    protected override void Prepare()
    {
        SyntheticDataGenerator.Generate(new SyntheticOptions(1_000, 400, Seed: 5) { WithheldWeeks = 1 }, Path.Combine(Work, "data-week1"));
        SyntheticDataGenerator.Generate(new SyntheticOptions(1_000, 400, Seed: 5), Path.Combine(Work, "data-week2"));
    }

    /// <summary>No network; any ratio to the rule passes, so the champion alone decides.</summary>
    private static PipelineOptions Options(int rounds) => new()
    {
        Training = new TrainingOptions { MaxRounds = rounds, EarlyStoppingRounds = 10 },
        TwoTower = new TwoTowerOptions { Enabled = false },
        Promotion = new PromotionOptions { MinRatioToRule = 0 },
    };

    private async Task<PipelineResult> Run(string id, string data, PipelineOptions options)
    {
        var request = new PipelineRequest(id, IngestInputs.FromDirectory(Path.Combine(Work, data)), Path.Combine(Work, "runs", id), options);
        await Client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions(id));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var done = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        return done.ReadOutputAs<PipelineResult>()!;
    }

    [Fact]
    public async Task WeeklyRuns_OnlyARankerNotWorseThanTheChampionOnItsWeekIsPromoted_AndTheChampionServesItsSubmission()
    {
        var store = ChampionStore.In(Work);
        // Week 1: a ranker of one round, and no champion yet: promoted.
        var first = (await Run("run-week1", "data-week1", Options(1))).Promotion!;
        Assert.True(first.Promoted, first.Reason);
        Assert.Null(first.ChampionRun);
        Assert.Equal("run-week1", store.Current()!.RunId);

        // Week 2, a week more data and trained fully: measured against the week-1 champion scored on week 2's validation week.
        var second = (await Run("run-week2", "data-week2", Options(30))).Promotion!;
        Assert.Equal(first.DataLastDay.AddDays(7), second.DataLastDay);
        Assert.Equal("run-week1", second.ChampionRun);
        Assert.NotNull(second.ChampionMap12);
        Assert.True(second.Map12 > second.ChampionMap12, $"{second.Map12} vs the champion's {second.ChampionMap12}");
        Assert.True(second.Promoted, second.Reason);
        Assert.Equal("run-week2", store.Current()!.RunId);
        Assert.Equal(["run-week1"], store.Current()!.Previous);

        // The week-1 run decided again against the week-2 champion: worse on its own week, not promoted, the champion kept.
        var week1 = Path.Combine(Work, "runs", "run-week1");
        File.Delete(Path.Combine(week1, "eval", PromotionActivity.FileName));
        var again = PromotionActivity.Run(new PromotionTask(week1, Options(1), first.DataLastDay));
        Assert.False(again.Promoted, again.Reason);
        Assert.Equal("run-week2", again.ChampionRun);
        Assert.True(again.Map12 < again.ChampionMap12);
        Assert.Contains("below champion run-week2", again.Reason, StringComparison.Ordinal);
        Assert.Equal("run-week2", store.Current()!.RunId);

        // The champion serves its submission, customer by customer.
        var index = ChampionIndex.Load(store, store.Current()!);
        var submission = File.ReadLines(Path.Combine(Work, "runs", "run-week2", "submission.csv")).Skip(1).ToList();
        Assert.Equal(submission.Count, index.Customers);
        Assert.All(submission, line => Assert.Equal(line.Split(',')[1].Split(' '), index.For(line.Split(',')[0]).Articles));
        Assert.Equal(12, index.For("not-a-customer").Articles.Count);

        // The history: each run's decision, by its data.
        var history = ChampionStore.In(Work).History();
        Assert.Equal(["run-week1", "run-week2"], history.Select(d => d.RunId));
        Assert.Equal([false, true], history.Select(d => d.Promoted));
    }
}
