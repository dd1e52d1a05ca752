using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;

namespace HmRec.Activities.Training.TwoTower;

/// <summary>
/// The two-tower job as an execution of an Azure Container Apps job (a GPU workload profile), started, watched and
/// stopped through Azure Resource Manager's REST API with the host's identity. The run's artefacts live in blob
/// storage (<see cref="RunStorage"/>): the execution runs <c>hmrec-train-gpu</c> on <c>blob:</c> locations of the
/// run, with the job's own container definition (image, resources, identity-based storage settings) and this run's
/// arguments. The worker pushes its epoch checkpoints there, so an execution that dies resumes in the next one;
/// it leaves error.txt when it fails on its own and summary.json last when it succeeds. job.json, the record of the
/// execution, is kept beside them, so a start that runs again (the host crashed after the request) finds it.
/// </summary>
public sealed class ContainerAppsJob : IDisposable
{
    private const string Running = "Running";
    private readonly ContainerAppsJobSettings settings;
    private readonly TokenCredential credential;
    private readonly BlobContainerClient runs;
    private readonly HttpClient http;

    /// <param name="settings">The job and the Resource Manager endpoint.</param>
    /// <param name="credential">The host's identity (a managed identity in Azure) with the right to start the job.</param>
    /// <param name="runs">The blob container of the runs (the same the worker reads and writes).</param>
    /// <param name="handler">The HTTP handler (default: a new <see cref="SocketsHttpHandler"/>).</param>
    public ContainerAppsJob(ContainerAppsJobSettings settings, TokenCredential credential, BlobContainerClient runs, HttpMessageHandler? handler = null)
    {
        this.settings = settings;
        this.credential = credential;
        this.runs = runs;
        http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(100) };
    }

    /// <summary>
    /// Starts an execution for attempt <see cref="TwoTowerStart.Attempt"/>, unless the model is complete already or this
    /// attempt's execution still runs.
    /// </summary>
    public async Task<TwoTowerJob> StartAsync(TwoTowerStart request, CancellationToken cancellationToken = default)
    {
        var output = TwoTowerActivities.Directory(request.RunDirectory);
        var prefix = RunStorage.Prefix(request.RunDirectory);
        var outputPrefix = prefix + "models/" + TwoTowerActivities.Model + "/";
        var description = $"Container Apps job {settings.JobName}";
        if (await runs.GetBlobClient(outputPrefix + ModelFiles.Summary).ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return new TwoTowerJob(request.RunDirectory, output, request.Attempt, 0, default, DateTime.UtcNow, description, LogHint(null), AlreadyDone: true);
        }
        var jobBlob = runs.GetBlobClient(outputPrefix + TwoTowerActivities.JobFile);
        if (await DownloadTextAsync(jobBlob, cancellationToken).ConfigureAwait(false) is { } text
            && JsonSerializer.Deserialize<TwoTowerJob>(text) is { Execution: { } execution } recorded
            && recorded.Attempt == request.Attempt
            && await ExecutionStatusAsync(execution, cancellationToken).ConfigureAwait(false) is { } status && IsRunning(status))
        {
            return recorded;
        }
        if (request.Options.Features.ImageEmbeddings is { } images)
        {
            throw new InvalidOperationException($"Features.ImageEmbeddings ('{images}') is a local file, which the {description} cannot read: train without the image tower, or with the local worker (HMREC_TWO_TOWER_BACKEND=process).");
        }

        var options = request.Options;
        List<string> arguments =
        [
            "--features", "blob:" + prefix + "features",
            "--out", "blob:" + outputPrefix,
            "--container", runs.Name,
            .. options.TwoTower.WorkerArguments(options.Seed),
            "--memory-limit", options.Ingest.MemoryLimit,
        ];
        var labels = prefix + "recall/week=0/global/labels.parquet";
        if (await runs.GetBlobClient(labels).ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            arguments.AddRange(["--labels", "blob:" + labels]);
        }

        // The execution template replaces the job's: take the job's own (image, resources, environment) and set the arguments.
        var job = await SendAsync(HttpMethod.Get, settings.JobResourceId, null, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The {description} ({settings.JobResourceId}) does not exist.");
        var template = job["properties"]?["template"];
        if (template?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            throw new InvalidOperationException($"The {description} has no container in its template.");
        }
        var container = containers[0]!.DeepClone().AsObject();
        container["args"] = new JsonArray([.. arguments.Select(a => (JsonNode?)JsonValue.Create(a))]);
        var body = new JsonObject { ["containers"] = new JsonArray(container) };
        if (template["initContainers"] is JsonArray { Count: > 0 } init)
        {
            body["initContainers"] = init.DeepClone();
        }
        var started = await SendAsync(HttpMethod.Post, settings.JobResourceId + "/start", body, cancellationToken).ConfigureAwait(false);
        var name = started?["name"]?.GetValue<string>()
            ?? (started?["id"]?.GetValue<string>() is { } id ? id[(id.LastIndexOf('/') + 1)..] : null)
            ?? throw new InvalidOperationException($"The {description} started, but Resource Manager's answer names no execution: {started?.ToJsonString() ?? "(empty)"}.");

        var command = $"{description}, execution {name}: {string.Join(' ', arguments)}";
        var record = new TwoTowerJob(request.RunDirectory, output, request.Attempt, 0, default, DateTime.UtcNow, command, LogHint(name)) { Execution = name };
        await jobBlob.UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(record)), overwrite: true, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Where the job's execution stands; when it succeeded, the model as the evaluation sees it.</summary>
    public async Task<TwoTowerStatus> StatusAsync(TwoTowerJob job, CancellationToken cancellationToken = default)
    {
        var outputPrefix = RunStorage.Prefix(job.RunDirectory) + "models/" + TwoTowerActivities.Model + "/";
        if (await DownloadTextAsync(runs.GetBlobClient(outputPrefix + ModelFiles.Summary), cancellationToken).ConfigureAwait(false) is { } summary)
        {
            return new TwoTowerStatus(TwoTowerState.Succeeded, null, TwoTowerActivities.ToModelSummary(job.OutputDirectory, summary));
        }
        var execution = job.Execution ?? throw new ArgumentException("The job record names no Container Apps execution.", nameof(job));
        var status = await ExecutionStatusAsync(execution, cancellationToken).ConfigureAwait(false);
        if (status is not null && IsRunning(status))
        {
            return new TwoTowerStatus(TwoTowerState.Running, null, null);
        }
        var error = await DownloadTextAsync(runs.GetBlobClient(outputPrefix + ModelFiles.WorkerError), cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return new TwoTowerStatus(TwoTowerState.Failed, $"the two-tower worker failed: {error.Trim()} ({job.LogPath})", null);
        }
        var how = status is null ? "is gone" : $"ended {status} without a result";
        return new TwoTowerStatus(TwoTowerState.Died, $"the two-tower execution {execution} of Container Apps job {settings.JobName} (attempt {job.Attempt}) {how}; {job.LogPath}", null);
    }

    /// <summary>Stops the job's execution if it still runs (after a timeout); returns whether it was running.</summary>
    public async Task<bool> StopAsync(TwoTowerJob job, CancellationToken cancellationToken = default)
    {
        if (job.Execution is not { } execution || await ExecutionStatusAsync(execution, cancellationToken).ConfigureAwait(false) is not { } status || !IsRunning(status))
        {
            return false;
        }
        await SendAsync(HttpMethod.Post, $"{settings.JobResourceId}/executions/{Uri.EscapeDataString(execution)}/stop", null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public void Dispose() => http.Dispose();

    /// <summary>Running, Processing (being scheduled) and Degraded executions may still finish; Unknown is asked again later.</summary>
    private static bool IsRunning(string status) => status is Running or "Processing" or "Degraded" or "Unknown";

    /// <summary>The execution's status (properties.status), or null when Resource Manager does not know it.</summary>
    private async Task<string?> ExecutionStatusAsync(string execution, CancellationToken cancellationToken)
    {
        var node = await SendAsync(HttpMethod.Get, $"{settings.JobResourceId}/executions/{Uri.EscapeDataString(execution)}", null, cancellationToken).ConfigureAwait(false);
        return node is null ? null : node["properties"]?["status"]?.GetValue<string>() ?? "Unknown";
    }

    /// <summary>
    /// One Resource Manager request with a bearer token; null for a 404 on a GET; any other failure throws with ARM's error
    /// code and message. A 202 without a body (a long-running operation) is followed through its Location until it ends.
    /// </summary>
    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var uri = new Uri(settings.ArmEndpoint, path.TrimStart('/') + "?api-version=" + ContainerAppsJobSettings.ApiVersion);
        var (status, text, location, retryAfter) = await SendOnceAsync(method, uri, body, cancellationToken).ConfigureAwait(false);
        for (var polls = 0; status == HttpStatusCode.Accepted && text.Length == 0 && location is not null; polls++)
        {
            if (polls == 120)
            {
                throw new TimeoutException($"Azure Resource Manager's operation {method} {uri.AbsolutePath} did not end after {polls} polls of {location}.");
            }
            await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            var (next, nextText, nextLocation, nextRetry) = await SendOnceAsync(HttpMethod.Get, location, null, cancellationToken).ConfigureAwait(false);
            (status, text, location, retryAfter) = (next, nextText, nextLocation ?? location, nextRetry);
        }
        if (status == HttpStatusCode.NotFound && method == HttpMethod.Get)
        {
            return null;
        }
        if ((int)status is < 200 or > 299)
        {
            throw new InvalidOperationException($"Azure Resource Manager answered {(int)status} {ErrorOf(text)} to {method} {uri.AbsolutePath}.");
        }
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private async Task<(HttpStatusCode Status, string Text, Uri? Location, TimeSpan? RetryAfter)> SendOnceAsync(HttpMethod method, Uri uri, JsonNode? body,
        CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(new TokenRequestContext([settings.Scope]), cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        if (body is not null || method == HttpMethod.Post)
        {
            request.Content = new StringContent(body?.ToJsonString() ?? "{}", Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(uri, l)) : null;
        return (response.StatusCode, text, location, response.Headers.RetryAfter?.Delta);
    }

    /// <summary>ARM's error body (<c>{"error": {"code", "message"}}</c>) in a line.</summary>
    private static string ErrorOf(string text)
    {
        try
        {
            if (JsonNode.Parse(text)?["error"] is { } error)
            {
                return $"{error["code"]?.GetValue<string>()}: {error["message"]?.GetValue<string>()}";
            }
        }
        catch (JsonException)
        {
        }
        return text.Length > 300 ? text[..300] : text;
    }

    private static async Task<string?> DownloadTextAsync(Azure.Storage.Blobs.BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private string LogHint(string? execution) =>
        $"log: the job's console log in Log Analytics (ContainerAppConsoleLogs_CL, ContainerJobName_s == '{settings.JobName}'{(execution is null ? "" : $", execution {execution}")})";
}
