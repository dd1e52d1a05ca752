using System.Net;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;

namespace HmRec.Functions;

/// <summary>
/// The HTTP triggers and the weekly retrain timer: each hands its work to <see cref="PipelineStarter"/>, the front door
/// <c>hmrec serve</c> uses too, and only turns the outcome into the Functions answer.
/// </summary>
public sealed class Triggers(StarterSettings settings)
{
    /// <summary>
    /// <c>POST /api/pipelines</c> (function key): starts a run. The optional JSON body holds option overrides (the names of
    /// <c>PipelineOptions</c>) and <c>data</c> (<c>blob:{prefix}</c> of the run storage, or a folder under the data roots);
    /// a bad body, path or limit is a 4xx <c>{"error": ...}</c> naming it. Answers 202 with the Durable management URLs.
    /// </summary>
    [Function("StartPipeline")]
    public async Task<HttpResponseData> StartPipeline(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "pipelines")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var outcome = await new PipelineStarter(client, settings).StartAsync(request.Body, context.CancellationToken);
        if (outcome.RunId is not { } id)
        {
            var refused = await JsonAsync(request, (HttpStatusCode)outcome.StatusCode, new { error = outcome.Error }, context);
            if (outcome.RetryAfter is { } retry)
            {
                refused.Headers.Add("Retry-After", retry);
            }
            return refused;
        }
        return await client.CreateCheckStatusResponseAsync(request, id, context.CancellationToken);
    }

    /// <summary><c>GET /api/health</c> (no key): 200 while the task hub's storage answers, else 503.</summary>
    [Function("Health")]
    public async Task<HttpResponseData> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await new PipelineStarter(client, settings).StorageAnswersAsync(TimeSpan.FromSeconds(5), context.CancellationToken)
            ? await JsonAsync(request, HttpStatusCode.OK, new { status = "healthy", hub = client.Name }, context)
            : await JsonAsync(request, HttpStatusCode.ServiceUnavailable, new { status = "unhealthy", hub = client.Name, error = "The task hub's storage does not answer." }, context);

    /// <summary><c>GET /api/runs/{id}/report</c> (function key): a finished run's report.</summary>
    [Function("GetRunReport")]
    public async Task<HttpResponseData> Report(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{id}/report")] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await FileAsync(request, await new PipelineStarter(client, settings).ReportAsync(id, context.CancellationToken), "text/html; charset=utf-8", null, context);

    /// <summary><c>GET /api/runs/{id}/submission.csv</c> (function key): a finished run's submission.</summary>
    [Function("GetRunSubmission")]
    public async Task<HttpResponseData> Submission(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{id}/submission.csv")] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        await FileAsync(request, await new PipelineStarter(client, settings).SubmissionAsync(id, context.CancellationToken), "text/csv; charset=utf-8",
            $"{id}-submission.csv", context);

    /// <summary>A run's file as the answer (<paramref name="download"/>: the name to save it under), or the starter's error.</summary>
    private static async Task<HttpResponseData> FileAsync(HttpRequestData request, (int StatusCode, string? Path, string? Error) found, string contentType,
        string? download, FunctionContext context)
    {
        if (found.Path is not { } path)
        {
            return await JsonAsync(request, (HttpStatusCode)found.StatusCode, new { error = found.Error }, context);
        }
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", contentType);
        if (download is not null)
        {
            response.Headers.Add("Content-Disposition", $"attachment; filename={download}");
        }
        await using (var file = File.OpenRead(path))
        {
            await file.CopyToAsync(response.Body, context.CancellationToken);
        }
        return response;
    }

    /// <summary>
    /// The weekly retrain on HMREC_RETRAIN_SCHEDULE (NCRONTAB, six fields), by the rule both hosts share
    /// (<see cref="PipelineStarter.RetrainAsync"/>). The Functions host runs one timer per app and catches up a missed
    /// occurrence (UseMonitor), so no claim between hosts is needed here.
    /// </summary>
    [Function("Retrain")]
    public async Task Retrain([TimerTrigger("%HMREC_RETRAIN_SCHEDULE%", UseMonitor = true)] TimerInfo timer, [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        var now = DateTime.UtcNow;
        await new PipelineStarter(client, settings).RetrainAsync(new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc), null, context.CancellationToken);
    }

    private static async Task<HttpResponseData> JsonAsync(HttpRequestData request, HttpStatusCode code, object body, FunctionContext context)
    {
        var response = request.CreateResponse(code);
        await response.WriteAsJsonAsync(body, context.CancellationToken);
        response.StatusCode = code;
        return response;
    }
}
