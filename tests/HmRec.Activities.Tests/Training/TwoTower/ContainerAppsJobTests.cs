using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using HmRec.Activities.Training.TwoTower;

namespace HmRec.Activities.Tests.Training.TwoTower;

/// <summary>
/// The Container Apps backend of the two-tower job against a local server that answers like Azure Resource Manager,
/// with the run's blobs in Azurite: the requests it sends (token, API version, the job's template with this run's
/// arguments), and what it makes of each execution state.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ContainerAppsJobTests(AzuriteFixture azurite) : IDisposable
{
    private readonly FakeResourceManager arm = new();
    private readonly FakeToken token = new();
    private readonly string runId = "run-" + Guid.NewGuid().ToString("N")[..8];

    private string RunDirectory => Path.Combine(Path.GetTempPath(), "hmrec-caj", runId);

    private string OutputPrefix => $"runs/{runId}/models/two_tower/";

    public void Dispose() => arm.Dispose();

    [Fact]
    public async Task Start_SendsTheJobsTemplateWithThisRunsBlobLocations_AndRecordsTheExecution()
    {
        var runs = await azurite.ContainerAsync("hmrec");
        await runs.GetBlobClient($"runs/{runId}/recall/week=0/global/labels.parquet").UploadAsync(BinaryData.FromString("x"));
        using var job = Job(runs);

        var started = await job.StartAsync(Request(1));

        Assert.Equal("hmrec-train-0001", started.Execution);
        Assert.False(started.AlreadyDone);
        Assert.All(token.Scopes, s => Assert.Equal(arm.Endpoint.GetLeftPart(UriPartial.Authority) + "/.default", s));
        var requests = arm.Requests.ToArray();
        Assert.Equal(["GET", "POST"], requests.Select(r => r.Method));
        Assert.All(requests, r => Assert.Equal("Bearer " + FakeResourceManager.Token, r.Authorization));
        Assert.All(requests, r => Assert.EndsWith("?api-version=" + ContainerAppsJobSettings.ApiVersion, r.PathAndQuery, StringComparison.Ordinal));
        Assert.StartsWith(FakeResourceManager.JobId + "/start?", requests[1].PathAndQuery, StringComparison.Ordinal);

        // The job's own container (image, resources, environment), with this run's arguments.
        var container = requests[1].Body!["containers"]![0]!;
        Assert.Equal("example.azurecr.io/hmrec-train-gpu:1", container["image"]!.GetValue<string>());
        Assert.Equal("56Gi", container["resources"]!["memory"]!.GetValue<string>());
        Assert.Equal("managedidentity", container["env"]![0]!["value"]!.GetValue<string>());
        var args = container["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        Assert.Equal($"blob:runs/{runId}/features", After(args, "--features"));
        Assert.Equal($"blob:{OutputPrefix}", After(args, "--out"));
        Assert.Equal($"blob:runs/{runId}/recall/week=0/global/labels.parquet", After(args, "--labels"));
        Assert.Equal("hmrec", After(args, "--container"));
        Assert.Equal("cuda", After(args, "--device"));
        Assert.Equal("7", After(args, "--seed"));

        // job.json beside the model records the execution.
        var recorded = JsonSerializer.Deserialize<TwoTowerJob>((await runs.GetBlobClient(OutputPrefix + "job.json").DownloadContentAsync()).Value.Content.ToString())!;
        Assert.Equal("hmrec-train-0001", recorded.Execution);
        Assert.Equal(1, recorded.Attempt);
    }

    [Fact]
    public async Task Start_AgainForTheSameAttemptWhileItRuns_ReturnsTheRecordedExecution_WithoutANewStart()
    {
        using var job = Job(await azurite.ContainerAsync("hmrec"));
        var first = await job.StartAsync(Request(1));

        var again = await job.StartAsync(Request(1));
        var next = await job.StartAsync(Request(2));

        Assert.Equal(first.Execution, again.Execution);
        Assert.Equal("hmrec-train-0002", next.Execution);
        Assert.Equal(2, arm.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task Start_OperationAnsweredWithALocation_FollowsItToTheExecution()
    {
        arm.AsyncStart = true;
        using var job = Job(await azurite.ContainerAsync("hmrec"));

        var started = await job.StartAsync(Request(1));

        Assert.Equal("hmrec-train-0001", started.Execution);
        Assert.Contains(arm.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("/operations/hmrec-train-0001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ModelAlreadyComplete_StartsNothing()
    {
        var runs = await azurite.ContainerAsync("hmrec");
        await runs.GetBlobClient(OutputPrefix + "summary.json").UploadAsync(BinaryData.FromString(Summary));
        using var job = Job(runs);

        var started = await job.StartAsync(Request(1));

        Assert.True(started.AlreadyDone);
        Assert.Empty(arm.Requests);
        var status = await job.StatusAsync(started);
        Assert.Equal(TwoTowerState.Succeeded, status.State);
        Assert.Equal(0.25, status.Model!.BestValidationMap);
        Assert.Equal("cuda", status.Model.Device);
    }

    [Fact]
    public async Task Start_Refused_FailsWithResourceManagersCodeAndMessage()
    {
        arm.RefuseStart = (HttpStatusCode.Forbidden, "AuthorizationFailed");
        using var job = Job(await azurite.ContainerAsync("hmrec"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => job.StartAsync(Request(1)));

        Assert.Contains("403 AuthorizationFailed", e.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.App/jobs/start/action", e.Message, StringComparison.Ordinal);
        Assert.Contains("/start", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WrongToken_FailsWithTheAuthenticationError()
    {
        var runs = await azurite.ContainerAsync("hmrec");
        using var job = new ContainerAppsJob(new ContainerAppsJobSettings(FakeResourceManager.JobId, arm.Endpoint), new WrongToken(), runs);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => job.StartAsync(Request(1)));

        Assert.Contains("401 InvalidAuthenticationToken", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Running", TwoTowerState.Running)]
    [InlineData("Processing", TwoTowerState.Running)]
    [InlineData("Unknown", TwoTowerState.Running)]
    [InlineData("Stopped", TwoTowerState.Died)]
    [InlineData("Failed", TwoTowerState.Died)]
    [InlineData("Succeeded", TwoTowerState.Died)]
    public async Task Status_ExecutionState_MapsToTheJobsState(string execution, TwoTowerState expected)
    {
        using var job = Job(await azurite.ContainerAsync("hmrec"));
        var started = await job.StartAsync(Request(1));
        arm.Executions[started.Execution!] = execution;

        var status = await job.StatusAsync(started);

        Assert.Equal(expected, status.State);
        if (expected == TwoTowerState.Died)
        {
            Assert.Contains($"ended {execution} without a result", status.Message, StringComparison.Ordinal);
            Assert.Contains("ContainerAppConsoleLogs_CL", status.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_FailedWithTheWorkersError_FailsWithItsMessage()
    {
        var runs = await azurite.ContainerAsync("hmrec");
        using var job = Job(runs);
        var started = await job.StartAsync(Request(1));
        await runs.GetBlobClient(OutputPrefix + ModelFiles.WorkerError).UploadAsync(BinaryData.FromString("--features: no blob under 'runs/x/features/'\n"));
        arm.Executions[started.Execution!] = "Failed";

        var status = await job.StatusAsync(started);

        Assert.Equal(TwoTowerState.Failed, status.State);
        Assert.StartsWith("the two-tower worker failed: --features: no blob under 'runs/x/features/' (log:", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ExecutionUnknownToResourceManager_Died()
    {
        using var job = Job(await azurite.ContainerAsync("hmrec"));
        var started = await job.StartAsync(Request(1));
        arm.Executions.Clear();

        var status = await job.StatusAsync(started);

        Assert.Equal(TwoTowerState.Died, status.State);
        Assert.Contains("is gone", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_SummaryWritten_SucceedsWithTheModel()
    {
        var runs = await azurite.ContainerAsync("hmrec");
        using var job = Job(runs);
        var started = await job.StartAsync(Request(1));
        await runs.GetBlobClient(OutputPrefix + "summary.json").UploadAsync(BinaryData.FromString(Summary));
        arm.Executions[started.Execution!] = "Succeeded";

        var status = await job.StatusAsync(started);

        Assert.Equal(TwoTowerState.Succeeded, status.State);
        Assert.Equal(4, status.Model!.Rounds);
        Assert.Equal(TwoTowerActivities.Directory(RunDirectory), status.Model.Directory);
    }

    [Fact]
    public async Task Stop_RunningExecution_SendsStop_AFinishedOneIsLeftAlone()
    {
        using var job = Job(await azurite.ContainerAsync("hmrec"));
        var started = await job.StartAsync(Request(1));
        var stopped = new List<string>();
        arm.Stopped = stopped.Add;

        Assert.True(await job.StopAsync(started));
        Assert.False(await job.StopAsync(started));

        Assert.Equal([started.Execution!], stopped);
        Assert.Equal("Stopped", arm.Executions[started.Execution!]);
        Assert.Single(arm.Requests, r => r.Method == "POST" && r.PathAndQuery.StartsWith($"{FakeResourceManager.JobId}/executions/{started.Execution}/stop?", StringComparison.Ordinal));
    }

    [Fact]
    public void Settings_MissingOrMalformed_NameTheSetting()
    {
        var missing = Assert.Throws<ArgumentException>(() => ContainerAppsJobSettings.FromSettings(_ => null));
        Assert.StartsWith("HMREC_GPU_JOB_ID is not set", missing.Message, StringComparison.Ordinal);
        var malformed = Assert.Throws<ArgumentException>(() => ContainerAppsJobSettings.FromSettings(n => n == "HMREC_GPU_JOB_ID" ? "hmrec-train" : null));
        Assert.Contains("must be a Container Apps job's resource id", malformed.Message, StringComparison.Ordinal);
        var endpoint = Assert.Throws<ArgumentException>(() => ContainerAppsJobSettings.FromSettings(n => n switch
        {
            "HMREC_GPU_JOB_ID" => FakeResourceManager.JobId,
            "HMREC_ARM_ENDPOINT" => "management",
            _ => null,
        }));
        Assert.StartsWith("HMREC_ARM_ENDPOINT must be an http(s) URL", endpoint.Message, StringComparison.Ordinal);

        var good = ContainerAppsJobSettings.FromSettings(n => n == "HMREC_GPU_JOB_ID" ? FakeResourceManager.JobId : null);
        Assert.Equal("hmrec-train", good.JobName);
        Assert.Equal("https://management.azure.com/.default", good.Scope);
    }

    private const string Summary = """
        {"TrainRows": 100, "ValidationRows": 50, "Epochs": 4, "BestEpoch": 3, "BestValidationMap": 0.25, "Seconds": 12.5, "Device": "cuda", "SamplesPerSecond": 1000}
        """;

    private ContainerAppsJob Job(BlobContainerClient runs) => new(new ContainerAppsJobSettings(FakeResourceManager.JobId, arm.Endpoint), token, runs);

    private TwoTowerStart Request(int attempt) =>
        new(RunDirectory, new PipelineOptions { Seed = 7, TwoTower = new TwoTowerOptions { Device = "cuda" } }, "instance", attempt);

    private static string After(string[] args, string name) => args[Array.IndexOf(args, name) + 1];

    private sealed class WrongToken : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("not-the-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
