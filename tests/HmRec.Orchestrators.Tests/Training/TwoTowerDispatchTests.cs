using System.Diagnostics;
using System.Text.Json;
using DurableTask.Core.History;
using HmRec.Training.Gpu.Training;

namespace HmRec.Orchestrators.Tests.Training;

/// <summary>
/// The durable dispatch of the two-tower worker, with the real worker process: completion by its event,
/// a killed worker started again (resuming from its checkpoint), a timeout that stops it, and a reported
/// failure that is not retried.
/// </summary>
public sealed class TwoTowerDispatchTests(TaskHubFixture hub) : PipelineHostTests(hub, "dispatch")
{
    private string Run => Path.Combine(Work, "run");

    /// <summary>A test that failed half-way may leave its worker running: it is stopped before its folder goes.</summary>
    protected override void Closed()
    {
        if (Job() is { } job)
        {
            TwoTowerActivities.Stop(job);
        }
    }

    [Fact]
    public async Task Dispatch_WorkerCompletes_TheEventWakesTheOrchestration()
    {
        SampleFeatures.Write(Path.Combine(Run, "features"));
        // A poll of 10 minutes: only the worker's completion event can end the wait within the test's time.
        var done = await RunAsync("event", new TwoTowerOptions { Device = "cpu", MaxEpochs = 3, PollSeconds = 600 }, TimeSpan.FromSeconds(120));

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        var model = done.ReadOutputAs<ModelSummary>()!;
        Assert.Equal("two_tower", model.Model);
        Assert.Equal("cpu", model.Device);
        Assert.Null(model.NotTrained);
        Assert.True(model.BestValidationMap > 0.5, $"validation MAP@12 {model.BestValidationMap}");
        var history = await Client.GetHistoryAsync("event");
        Assert.Contains(history, e => e?["EventType"]?.GetValue<int>() == (int)EventType.EventRaised && e["Name"]?.GetValue<string>() == TwoTowerFinished.EventName);
        Assert.Equal(1, Job()!.Attempt);
        Assert.True(File.Exists(Path.Combine(TwoTowerActivities.Directory(Run), "test.parquet")));

        // Started again on a complete model: nothing runs, the same model comes back.
        var again = await RunAsync("event-again", new TwoTowerOptions { Device = "cpu", MaxEpochs = 3, PollSeconds = 600 }, TimeSpan.FromSeconds(60));
        Assert.Equal(model.BestValidationMap, again.ReadOutputAs<ModelSummary>()!.BestValidationMap);
        Assert.True(again.ReadOutputAs<ModelSummary>()!.Skipped);
        Assert.False(model.Skipped);
        Assert.Equal(1, Job()!.Attempt);
    }

    [Fact]
    public async Task Dispatch_WorkerKilled_IsStartedAgainAndCompletes()
    {
        SampleFeatures.Write(Path.Combine(Run, "features"), users: 1500);
        var options = new TwoTowerOptions { Device = "cpu", MaxEpochs = 6, Patience = 6, PollSeconds = 1 };
        await Client.ScheduleNewOrchestrationInstanceAsync(PipelineHosts.TwoTowerOnly, Task(options), new StartOrchestrationOptions("killed"));
        // Killed once its first epoch is checkpointed.
        var checkpoint = Path.Combine(TwoTowerActivities.Directory(Run), TrainingCheckpoint.FileName);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            while (!File.Exists(checkpoint))
            {
                await System.Threading.Tasks.Task.Delay(50, wait.Token);
            }
        }
        var first = Job()!;
        using (var process = Process.GetProcessById(first.ProcessId))
        {
            process.Kill();
        }

        var done = await Wait("killed", TimeSpan.FromSeconds(180));
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        Assert.Equal(2, Job()!.Attempt);
        Assert.NotEqual(first.ProcessId, Job()!.ProcessId);
        var workerLog = File.ReadAllText(Path.Combine(TwoTowerActivities.Directory(Run), TwoTowerActivities.LogFile));
        Assert.Contains("--- attempt 2", workerLog, StringComparison.Ordinal);
        // The second attempt went on from the first one's last checkpoint rather than from epoch 1.
        Assert.Matches(@"resuming from checkpoint\.hmtc after epoch [1-5] ", workerLog[workerLog.IndexOf("--- attempt 2", StringComparison.Ordinal)..]);
        Assert.Equal(6, done.ReadOutputAs<ModelSummary>()!.Rounds);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(TwoTowerActivities.Directory(Run), WorkerJob.LogFile)).Length);
    }

    [Fact]
    public async Task Dispatch_PastTheTimeout_StopsTheWorkerAndFails()
    {
        SampleFeatures.Write(Path.Combine(Run, "features"), users: 1500);
        var options = new TwoTowerOptions { Device = "cpu", MaxEpochs = 10_000, Patience = 1_000, PollSeconds = 1, TimeoutMinutes = 0.1 };
        var done = await RunAsync("timeout", options, TimeSpan.FromSeconds(120));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("did not finish within 0.1 minutes", done.FailureDetails.Root()!.ErrorMessage, StringComparison.Ordinal);
        Assert.False(TwoTowerActivities.IsRunning(Job()!));
        Assert.False(File.Exists(Path.Combine(TwoTowerActivities.Directory(Run), "summary.json")));
    }

    [Fact]
    public async Task Dispatch_WorkerReportsAFailure_FailsWithItsMessage_WithoutStartingAgain()
    {
        // No features folder: the worker stops at once with an error naming what it was given.
        var done = await RunAsync("failed", new TwoTowerOptions { Device = "cpu", PollSeconds = 1 }, TimeSpan.FromSeconds(120));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var message = done.FailureDetails.Root()!.ErrorMessage;
        Assert.Contains("the two-tower worker failed", message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Run, "features"), message, StringComparison.Ordinal);
        Assert.Equal(1, Job()!.Attempt);
    }

    private WeekTask Task(TwoTowerOptions options) =>
        new(Run, new LabelWeek(0, 0, 0), new PipelineOptions { TwoTower = options, Ingest = new IngestOptions { MemoryLimit = "1GB" } });

    private async Task<OrchestrationMetadata> RunAsync(string id, TwoTowerOptions options, TimeSpan timeout)
    {
        await Client.ScheduleNewOrchestrationInstanceAsync(PipelineHosts.TwoTowerOnly, Task(options), new StartOrchestrationOptions(id));
        return await Wait(id, timeout);
    }

    private async Task<OrchestrationMetadata> Wait(string id, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancel.Token);
    }

    private TwoTowerJob? Job()
    {
        var path = Path.Combine(TwoTowerActivities.Directory(Run), TwoTowerActivities.JobFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<TwoTowerJob>(File.ReadAllText(path)) : null;
    }
}
