using HmRec.Cli.Tests.Hosting;
using HmRec.Cli.Timers;
using Microsoft.DurableTask.Client;

namespace HmRec.Cli.Tests.Timers;

/// <summary>
/// The once-per-week guarantee on a real task hub (Azure Storage backend on Azurite), with no worker: started
/// instances stay Pending, which is all the timer looks at.
/// </summary>
public sealed class RetrainTimerTests(TaskHubFixture hubs) : IClassFixture<TaskHubFixture>, IDisposable
{
    private static readonly CrontabSchedule Weekly = CrontabSchedule.Parse("0 0 3 * * Mon");

    private readonly TempFolder work = new("timer");
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private readonly string hub = TaskHubFixture.NewHubName();

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task TwoHostsOnOneTaskHub_SameOccurrence_StartItOnce()
    {
        await using var hostA = await hubs.OpenAsync(hub);
        await using var hostB = await hubs.OpenAsync(hub);
        var a = Timer(hostA.Client, "a.json", hostA.Account);
        var b = Timer(hostB.Client, "b.json", hostB.Account);
        var monday = new DateTime(2026, 11, 23, 3, 0, 0, DateTimeKind.Utc);
        clock.Now = new DateTimeOffset(monday);

        var started = await Task.WhenAll(a.FireAsync(monday), b.FireAsync(monday));

        Assert.Single(started, s => s is not null);
        Assert.Equal("retrain-20261123T030000Z", started.Single(s => s is not null));
        var all = new List<OrchestrationMetadata>();
        await foreach (var i in hostA.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = HmRec.Orchestrators.Pipeline.RetrainInstance.Prefix }))
        {
            all.Add(i);
        }
        Assert.Single(all);
        // Later ticks of the same week (a host that was slow) start nothing either.
        Assert.Null(await a.FireAsync(monday));
    }

    [Fact]
    public async Task Restart_AfterAMissedOccurrence_RunsItOnceAtStart()
    {
        await using var host = await hubs.OpenAsync(hub);
        var client = host.Client;
        Assert.Null(await Timer(client, "status.json").StartupAsync()); // first start: records the next Monday

        clock.Now = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero); // every host was down at 03:00
        Assert.Equal("retrain-20261123T030000Z", await Timer(client, "status.json").StartupAsync());
        Assert.Null(await Timer(client, "status.json").StartupAsync()); // a second restart does not run it again

        var status = System.Text.Json.JsonSerializer.Deserialize<RetrainTimer.TimerStatus>(File.ReadAllText(Path.Combine(work, "status.json")))!;
        Assert.Equal(new DateTime(2026, 11, 30, 3, 0, 0, DateTimeKind.Utc), status.Next);
    }

    [Fact]
    public async Task Tick_WhileAnEarlierRetrainRuns_IsSkipped()
    {
        await using var host = await hubs.OpenAsync(hub);
        var client = host.Client;
        // A stand-in pipeline that runs until it is told to finish.
        await host.StartWorkerAsync(r => r.AddOrchestratorFunc<object?, string>("Pipeline", (context, _) => context.WaitForExternalEvent<string>("finish")));
        var timer = Timer(client, "status.json");
        var first = await timer.FireAsync(new DateTime(2026, 11, 23, 3, 0, 0, DateTimeKind.Utc));
        Assert.Equal("retrain-20261123T030000Z", first);
        Assert.Null(await timer.FireAsync(new DateTime(2026, 11, 30, 3, 0, 0, DateTimeKind.Utc)));

        await client.RaiseEventAsync(first!, "finish", "done");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.WaitForInstanceCompletionAsync(first!, cancellation: timeout.Token);
        Assert.Equal("retrain-20261207T030000Z", await timer.FireAsync(new DateTime(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task WeeklyTimer_OnSimulatedWeeks_WithTheDataAWeekLaterEachTime_BuildsTheHistoryAndAChampion()
    {
        await using var host = await hubs.OpenAsync(hub);
        await host.StartWorkerAsync(r => HmRec.Orchestrators.PipelineRegistry.Register(r, new HmRec.Orchestrators.PipelineActivities(client: host.Client)));
        var options = new HmRec.Activities.Options.PipelineOptions
        {
            Training = new HmRec.Activities.Options.TrainingOptions { MaxRounds = 10 },
            TwoTower = new HmRec.Activities.Options.TwoTowerOptions { Enabled = false },
            // Any ratio to the rule: the first week becomes the champion the second is measured against.
            Promotion = new HmRec.Activities.Options.PromotionOptions { MinRatioToRule = 0 },
        };
        var data = Path.Combine(work, "data");
        var mondays = new[] { new DateTime(2026, 11, 23, 3, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 30, 3, 0, 0, DateTimeKind.Utc) };
        for (var week = 0; week < mondays.Length; week++)
        {
            // The data as it stands on that Monday: the generator's rows up to one week less before the last.
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
            HmRec.Shared.Synthetic.SyntheticDataGenerator.Generate(new HmRec.Shared.Synthetic.SyntheticOptions(400, 150, Seed: 1) { WithheldWeeks = mondays.Length - 1 - week }, data);
            clock.Now = new DateTimeOffset(mondays[week]);
            var id = await Timer(host.Client, "status.json", retrainOptions: options).FireAsync(mondays[week]);
            Assert.Equal(HmRec.Orchestrators.Pipeline.RetrainInstance.Id(mondays[week]), id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
            var done = await host.Client.WaitForInstanceCompletionAsync(id!, getInputsAndOutputs: true, timeout.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        }

        var history = HmRec.Activities.Champion.ChampionStore.In(Path.Combine(work, "store")).History();
        Assert.Equal(mondays.Select(HmRec.Orchestrators.Pipeline.RetrainInstance.Id), history.Select(d => d.RunId));
        Assert.Equal(history[0].DataLastDay.AddDays(7), history[1].DataLastDay);
        Assert.True(history[0].Promoted, history[0].Reason);
        Assert.Equal(history[0].RunId, history[1].ChampionRun);
        Assert.NotNull(history[1].ChampionMap12);
        var champion = HmRec.Activities.Champion.ChampionStore.In(Path.Combine(work, "store")).Current()!;
        Assert.Equal(history[1].Promoted ? history[1].RunId : history[0].RunId, champion.RunId);
    }

    /// <summary>A timer firing the retrain rule of a host's front door, on a small dataset (HMREC_DATA_CONNECTION's role).</summary>
    private RetrainTimer Timer(DurableTaskClient client, string status, HmRec.Shared.Blob.StorageConnection? account = null,
        HmRec.Activities.Options.PipelineOptions? retrainOptions = null)
    {
        var data = Path.Combine(work, "data");
        if (!File.Exists(Path.Combine(data, "transactions_train.csv")))
        {
            HmRec.Shared.Synthetic.SyntheticDataGenerator.Generate(new HmRec.Shared.Synthetic.SyntheticOptions(200, 80, Seed: 1), data);
        }
        var store = Path.Combine(work, "store");
        var starter = new HmRec.Orchestrators.Pipeline.PipelineStarter(client,
            new HmRec.Orchestrators.Pipeline.StarterSettings(store, data, null, new HmRec.Shared.Options.HostLimits(), HmRec.Shared.Options.DataRoots.For(null, store))
            {
                RetrainOptions = retrainOptions ?? new HmRec.Activities.Options.PipelineOptions(),
            });
        var claims = new OccurrenceClaims(account ?? HmRec.Shared.Blob.StorageConnection.FromConnectionString(hubs.Azurite.ConnectionString), hub);
        return new(Weekly, TimeZoneInfo.Utc, Path.Combine(work, status), (occurrence, token) => starter.RetrainAsync(occurrence, claims.ClaimAsync, token), clock);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
