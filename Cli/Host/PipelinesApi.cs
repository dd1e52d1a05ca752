using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using HmRec.Activities.Common;
using HmRec.Activities.Report;
using HmRec.Orchestrators.Pipeline;
using HmRec.Shared.Data;
using HmRec.Shared.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HmRec.Cli.Host;

/// <summary>
/// The HTTP triggers: <c>GET /api/health</c> (no key) and <c>POST /api/pipelines</c>, which starts a run
/// and answers as a Durable Functions HTTP starter does: 202 with <c>Location</c>, <c>Retry-After</c> and the
/// management URIs. The optional JSON body holds option overrides (the names of <see cref="PipelineOptions"/>,
/// any case, nested as there) and <c>data</c>, a folder with the three CSV files or <c>blob:{prefix}</c> (see
/// <see cref="HttpHost.PrepareRunAsync"/>). <c>GET /runs/{id}/report</c> (function key) serves a finished run's report.
/// </summary>
internal static class PipelinesApi
{
    public static void Map(WebApplication app, HttpHost host, HostSettings settings)
    {
        // Healthy only while the task hub's storage answers: a host whose storage went away says so (503).
        app.MapGet("/api/health", async (CancellationToken cancellationToken) => await host.StorageAnswersAsync(cancellationToken)
            ? Results.Ok(new { status = "healthy", hub = settings.DurableTask.HubName })
            : Results.Json(new { status = "unhealthy", hub = settings.DurableTask.HubName, error = "The task hub's storage does not answer." }, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapPost("/api/pipelines", async (HttpRequest request) =>
        {
            PipelineOptions options;
            string? data;
            try
            {
                using var reader = new StreamReader(request.Body);
                (options, data) = PipelineStartBody.Parse(await reader.ReadToEndAsync());
            }
            catch (BadHttpRequestException e)
            {
                // A body over Kestrel's limit (413) or cut off: answered here, with a body, rather than left unhandled.
                return Results.Json(new ErrorBody(e.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"The request body is larger than the limit of {request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize:N0} bytes."
                    : "The request body could not be read."), statusCode: e.StatusCode);
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
            {
                return Results.BadRequest(new ErrorBody(e.Message));
            }
            var limits = settings.App.Limits;
            try
            {
                PipelineLimits.CheckActivities(options, limits.MaxActivitiesPerRun);
            }
            catch (ArgumentException e)
            {
                return Results.BadRequest(new ErrorBody(e.Message));
            }
            if (await PipelineLimits.RunsInProgressRefusalAsync(host.Client, limits.MaxRunsInProgress, request.HttpContext.RequestAborted) is { } busy)
            {
                request.HttpContext.Response.Headers.RetryAfter = "60";
                return Results.Json(new ErrorBody(busy), statusCode: StatusCodes.Status429TooManyRequests);
            }
            PipelineRequest run;
            try
            {
                run = await host.PrepareRunAsync(data, options, null, Guid.NewGuid().ToString("N")[..12], request.HttpContext.RequestAborted);
            }
            catch (Exception e) when (e is InputDataException or ArgumentException)
            {
                return Results.BadRequest(new ErrorBody(e.Message));
            }
            await host.Client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, run, new StartOrchestrationOptions(run.RunId));
            var uris = ManagementApi.Uris(host.PublicBase, host.Keys, run.RunId);
            request.HttpContext.Response.Headers.Location = uris.StatusQueryGetUri;
            request.HttpContext.Response.Headers.RetryAfter = "10";
            return Results.Json(uris, statusCode: StatusCodes.Status202Accepted);
        });
        app.MapGet("/runs/{id}/report", async (HttpRequest request, string id) =>
        {
            if (!RunIds.IsMatch(id))
            {
                return Results.BadRequest(new ErrorBody($"'{id}' is not a run id (letters, digits, '-', '_' and '.' only)."));
            }
            var run = Path.Combine(host.RunsRoot, "runs", id);
            var path = Path.Combine(run, "eval", RunReport.FileName);
            if (host.Storage is { } storage)
            {
                // Runs live in blob storage: the report is fetched from runs/{id}/eval/report.html.
                await storage.Mirror.PullAsync(RunStorage.Prefix(run), run,
                    relative => relative == $"eval/{RunReport.FileName}", request.HttpContext.RequestAborted);
            }
            return File.Exists(path)
                ? Results.File(path, "text/html; charset=utf-8")
                : Results.NotFound(new ErrorBody($"Run {id} has no report (yet): it is written when the run ends."));
        });
    }

    /// <summary>True when <paramref name="id"/> can name a run folder: letters, digits, '-', '_' and '.', not starting with '.'.</summary>
    public static bool IsRunId(string id) => RunIds.IsMatch(id);

    private static readonly System.Text.RegularExpressions.Regex RunIds = new(@"^(?!\.)[A-Za-z0-9._-]{1,128}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
