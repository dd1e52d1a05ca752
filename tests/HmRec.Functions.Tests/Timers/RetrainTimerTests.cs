using HmRec.Durable.Client;
using HmRec.Durable.Model;
using HmRec.Durable.Runtime;
using HmRec.Durable.Stores.Sqlite;
using HmRec.Functions.Timers;

namespace HmRec.Functions.Tests.Timers;

/// <summary>
/// The once-per-week guarantee on a real SQLite task hub, with no worker: started instances stay Pending,
/// which is all the timer looks at.
/// </summary>
public sealed class RetrainTimerTests : IDisposable
{
    private static readonly CrontabSchedule Weekly = CrontabSchedule.Parse("0 0 3 * * Mon");

    private readonly string work = Path.Combine(Path.GetTempPath(), $"hmrec-timer-{Guid.NewGuid():N}");
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    public RetrainTimerTests() => Directory.CreateDirectory(work);

    private string Hub => Path.Combine(work, "taskhub.db");

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task TwoHostsOnOneTaskHub_SameOccurrence_StartItOnce()
    {
        using var storeA = new SqliteDurableStore(Hub);
        using var storeB = new SqliteDurableStore(Hub);
        var a = Timer(new DurableTaskClient(storeA), "a.json");
        var b = Timer(new DurableTaskClient(storeB), "b.json");
        var monday = new DateTime(2026, 11, 23, 3, 0, 0, DateTimeKind.Utc);
        clock.Now = new DateTimeOffset(monday);

        var started = await Task.WhenAll(a.FireAsync(monday), b.FireAsync(monday));

        Assert.Single(started, s => s is not null);
        Assert.Equal("retrain-20261123T030000Z", started.Single(s => s is not null));
        var all = await new DurableTaskClient(storeA).QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = RetrainTimer.Prefix });
        Assert.Single(all.Instances);
        // Later ticks of the same week (a host that was slow) start nothing either.
        Assert.Null(await a.FireAsync(monday));
    }

    [Fact]
    public async Task Restart_AfterAMissedOccurrence_RunsItOnceAtStart()
    {
        using var store = new SqliteDurableStore(Hub);
        var client = new DurableTaskClient(store);
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
        using var store = new SqliteDurableStore(Hub);
        var client = new DurableTaskClient(store);
        // A stand-in pipeline that runs until it is told to finish.
        var registry = new DurableTaskRegistry().AddOrchestratorFunc<object?, string>("Pipeline", (context, _) => context.WaitForExternalEvent<string>("finish"));
        await using var worker = new DurableWorker(registry, store, new DurableWorkerOptions { MaxPollInterval = TimeSpan.FromMilliseconds(20) });
        await worker.StartAsync();
        var timer = Timer(client, "status.json");
        var first = await timer.FireAsync(new DateTime(2026, 11, 23, 3, 0, 0, DateTimeKind.Utc));
        Assert.Equal("retrain-20261123T030000Z", first);
        Assert.Null(await timer.FireAsync(new DateTime(2026, 11, 30, 3, 0, 0, DateTimeKind.Utc)));

        await client.RaiseEventAsync(first!, "finish", "done");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.WaitForInstanceCompletionAsync(first!, timeout.Token);
        Assert.Equal("retrain-20261207T030000Z", await timer.FireAsync(new DateTime(2026, 12, 7, 3, 0, 0, DateTimeKind.Utc)));
    }

    private RetrainTimer Timer(DurableTaskClient client, string status) =>
        new(client, Weekly, TimeZoneInfo.Utc, Path.Combine(work, status),
            id => client.ScheduleNewOrchestrationInstanceAsync("Pipeline", null, new StartOrchestrationOptions(id)), clock);

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
