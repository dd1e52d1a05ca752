using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using HmRec.Shared.Blob;
using HmRec.Training.Gpu.Training;

namespace HmRec.Orchestrators.Tests.Training;

/// <summary>
/// The durable dispatch of the two-tower network to a Container Apps job, end to end but for Azure: the orchestration
/// starts executions through a local server that answers like Resource Manager, and that server runs each execution as
/// the container would, the real <c>hmrec-train-gpu</c> with the arguments and environment of the start request, on the
/// run's blobs in Azurite.
/// </summary>
public sealed class ContainerAppsDispatchTests(TaskHubFixture hub) : IClassFixture<TaskHubFixture>, IAsyncLifetime
{
    private readonly TempFolder work = new("caj");
    private readonly FakeResourceManager arm = new();
    private readonly List<Process> executions = [];
    private DurableHost host = null!;
    private ContainerAppsJob job = null!;
    private Azure.Storage.Blobs.BlobContainerClient runs = null!;

    // Each test has its own run (the class shares one Azurite, so one blob container).
    private readonly string runId = "run-" + Guid.NewGuid().ToString("N")[..8];

    private string Run => Path.Combine(work, "runs", runId);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(work);
        runs = await BlobStorage.OpenContainerAsync(hub.Azurite.ConnectionString, "hmrec");
        // The job's container carries the storage setting, as the Bicep template gives it its identity-based one.
        var container = arm.Job["properties"]!["template"]!["containers"]![0]!;
        container["env"] = new JsonArray(new JsonObject { ["name"] = "AzureWebJobsStorage", ["value"] = hub.Azurite.ConnectionString });
        arm.Started = (name, body) =>
        {
            executions.Add(Launch(name, body["containers"]![0]!));
            return "Running";
        };
        arm.Stopped = name => executions.Find(p => p.StartInfo.Environment["EXECUTION"] == name)?.Kill(entireProcessTree: true);
        job = new ContainerAppsJob(new ContainerAppsJobSettings(FakeResourceManager.JobId, arm.Endpoint), new FakeToken(), runs);
        var activities = new PipelineActivities(storage: new RunStorage(new BlobMirror(runs)), gpuJob: job);
        host = await hub.OpenPipelineAsync(_ => activities);
    }

    public async Task DisposeAsync()
    {
        await host.CloseAsync();
        foreach (var p in executions)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
            p.Dispose();
        }
        job.Dispose();
        arm.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task Dispatch_ExecutionSucceeds_TheModelComesFromTheRunsBlobs()
    {
        await PushFeaturesAsync(users: 300);

        var done = await RunAsync("caj-ok", new TwoTowerOptions { Device = "cpu", MaxEpochs = 3, PollSeconds = 1 }, TimeSpan.FromSeconds(120));

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        var model = done.ReadOutputAs<ModelSummary>()!;
        Assert.Equal("two_tower", model.Model);
        Assert.Equal(3, model.Rounds);
        Assert.True(model.BestValidationMap > 0.5, $"validation MAP@12 {model.BestValidationMap}");
        Assert.Equal(TwoTowerActivities.Directory(Run), model.Directory);
        Assert.Single(executions);
        Assert.True((await runs.GetBlobClient($"runs/{runId}/models/two_tower/test.parquet").ExistsAsync()).Value);
        Assert.Equal("hmrec-train-0001", (await RecordedAsync()).Execution);
    }

    [Fact]
    public async Task Dispatch_ExecutionLost_IsStartedAgain_AndResumesFromTheCheckpointInBlobStorage()
    {
        await PushFeaturesAsync(users: 1500);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(PipelineHosts.TwoTowerOnly, Task(new TwoTowerOptions { Device = "cpu", MaxEpochs = 6, Patience = 6, PollSeconds = 1 }),
            new StartOrchestrationOptions("caj-lost"));
        // The replica is lost once the first epoch's checkpoint is in blob storage: the execution ends Failed, without error.txt.
        var checkpoint = runs.GetBlobClient($"runs/{runId}/models/two_tower/" + TrainingCheckpoint.FileName);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            while (!(await checkpoint.ExistsAsync(wait.Token)).Value)
            {
                await System.Threading.Tasks.Task.Delay(100, wait.Token);
            }
        }
        var first = executions[0];
        first.Kill(entireProcessTree: true);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var done = await host.Client.WaitForInstanceCompletionAsync("caj-lost", getInputsAndOutputs: true, cancel.Token);

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        Assert.Equal(6, done.ReadOutputAs<ModelSummary>()!.Rounds);
        Assert.Equal(2, executions.Count);
        var recorded = await RecordedAsync();
        Assert.Equal(2, recorded.Attempt);
        Assert.Equal("hmrec-train-0002", recorded.Execution);
        Assert.Matches(@"resuming from checkpoint\.hmtc after epoch [1-5] ", File.ReadAllText(Path.Combine(work, "hmrec-train-0002.log")));
    }

    [Fact]
    public async Task Dispatch_WorkerReportsAFailure_FailsWithItsMessage_WithoutStartingAgain()
    {
        // No features in blob storage: the worker stops at once, leaves error.txt, and the execution fails.
        var done = await RunAsync("caj-failed", new TwoTowerOptions { Device = "cpu", PollSeconds = 1 }, TimeSpan.FromSeconds(120));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var message = done.FailureDetails.Root()!.ErrorMessage;
        Assert.Contains($"the two-tower worker failed: --features: no blob under 'runs/{runId}/features/'", message, StringComparison.Ordinal);
        Assert.Single(executions);
    }

    /// <summary>The execution as the container would run it: the worker with the request's arguments and environment.</summary>
    private Process Launch(string name, JsonNode container)
    {
        var (program, prefix) = WorkerCommand.Locate();
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in prefix.Concat(container["args"]!.AsArray().Select(a => a!.GetValue<string>())))
        {
            start.ArgumentList.Add(a);
        }
        foreach (var variable in container["env"]!.AsArray())
        {
            start.Environment[variable!["name"]!.GetValue<string>()] = variable["value"]!.GetValue<string>();
        }
        start.Environment["EXECUTION"] = name;
        // A container's temp folder goes with it: here, with the test's folder, also when the test kills the execution.
        start.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(work, "tmp")).FullName;
        var process = Process.Start(start)!;
        var log = Path.Combine(work, name + ".log");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (process) { File.AppendAllText(log, e.Data + "\n"); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (process) { File.AppendAllText(log, e.Data + "\n"); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => arm.Executions[name] = process.ExitCode == 0 ? "Succeeded" : "Failed";
        return process;
    }

    private async Task PushFeaturesAsync(int users)
    {
        SampleFeatures.Write(Path.Combine(Run, "features"), users);
        await new BlobMirror(runs).PushAsync(Run, RunStorage.Prefix(Run));
        Directory.Delete(Run, recursive: true);
    }

    private async Task<TwoTowerJob> RecordedAsync() =>
        JsonSerializer.Deserialize<TwoTowerJob>((await runs.GetBlobClient($"runs/{runId}/models/two_tower/job.json").DownloadContentAsync()).Value.Content.ToString())!;

    private WeekTask Task(TwoTowerOptions options) =>
        new(Run, new LabelWeek(0, 0, 0), new PipelineOptions { TwoTower = options, Ingest = new IngestOptions { MemoryLimit = "1GB" } });

    private async Task<OrchestrationMetadata> RunAsync(string id, TwoTowerOptions options, TimeSpan timeout)
    {
        await host.Client.ScheduleNewOrchestrationInstanceAsync(PipelineHosts.TwoTowerOnly, Task(options), new StartOrchestrationOptions(id));
        using var cancel = new CancellationTokenSource(timeout);
        return await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancel.Token);
    }
}
