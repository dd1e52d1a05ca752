using HmRec.Shared.Synthetic;

namespace HmRec.Orchestrators.Tests.Pipeline;

/// <summary>A terminated run's queued activities check the run first and return at once, doing no work.</summary>
public sealed class TerminateTests(TaskHubFixture hub) : IClassFixture<TaskHubFixture>, IDisposable
{
    private readonly TempFolder work = new("terminate");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Terminate_DuringRecall_TheQueuedRecallActivitiesDoNoWork()
    {
        SyntheticDataGenerator.Generate(new SyntheticOptions(600, 200, Seed: 9), Path.Combine(work, "data"));
        // One activity at a time, so that the recall stage keeps a long queue behind the one running.
        var host = await hub.OpenAsync(configure: o => o with { MaxConcurrentActivityFunctions = 1 });
        try
        {
            await TerminateDuringRecall(host);
        }
        finally
        {
            await host.CloseAsync();
        }
    }

    private async Task TerminateDuringRecall(HmRec.Cli.Hosting.DurableHost host)
    {
        var client = host.Client;
        var ran = new System.Collections.Concurrent.ConcurrentQueue<(string Name, DateTime End, bool Failed)>();
        await host.StartWorkerAsync(
            r => PipelineRegistry.Register(r, new PipelineActivities(client: host.Client)),
            (name, _, failed) => ran.Enqueue((name, DateTime.UtcNow, failed)));
        var run = Path.Combine(work, "runs", "run-t");
        var options = new PipelineOptions { Shards = 6, TwoTower = new TwoTowerOptions { Enabled = false } };
        await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name,
            new PipelineRequest("run-t", IngestInputs.FromDirectory(Path.Combine(work, "data")), run, options), new StartOrchestrationOptions("run-t"));

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (ran.Count(r => r.Name == "RecallShard") < 3)
        {
            await Task.Delay(50, deadline.Token);
        }
        await client.TerminateInstanceAsync("run-t", "test", deadline.Token);
        while ((await client.GetInstanceAsync("run-t", deadline.Token))!.RuntimeStatus != OrchestrationRuntimeStatus.Terminated)
        {
            await Task.Delay(50, deadline.Token);
        }
        var terminated = DateTime.UtcNow;
        var written = RecallFiles();

        // The queue drains: every later recall activity fails at once with the run's status, and writes nothing.
        while (ran.LastOrDefault().End > DateTime.UtcNow.AddSeconds(-3) || ran.Count(r => r.End > terminated) < 50)
        {
            await Task.Delay(100, deadline.Token);
        }
        var after = ran.Where(r => r.End > terminated.AddSeconds(1)).ToList();
        Assert.True(after.Count >= 50, $"{after.Count} activities ran after the terminate");
        Assert.All(after, r => Assert.True(r.Failed, $"{r.Name} did its work after the run was terminated"));
        // The one activity that was running at the terminate may finish its file.
        Assert.InRange(RecallFiles() - written, 0, 1);

        int RecallFiles() => Directory.Exists(Path.Combine(run, "recall"))
            ? Directory.GetFiles(Path.Combine(run, "recall"), "shard=*.parquet", SearchOption.AllDirectories).Length
            : 0;
    }
}
