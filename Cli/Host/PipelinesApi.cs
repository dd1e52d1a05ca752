using HmRec.Activities.Report;
using Microsoft.AspNetCore.Http.Features;

namespace HmRec.Cli.Host;

/// <summary>
/// The HTTP triggers: <c>GET /api/health</c> (no key) and <c>POST /api/pipelines</c>, which starts a run
/// and answers as a Durable Functions HTTP starter does: 202 with <c>Location</c>, <c>Retry-After</c> and the
/// management URIs. The optional JSON body holds option overrides (the names of <see cref="PipelineOptions"/>,
/// any case, nested as there) and <c>data</c>, a folder with the three CSV files or <c>blob:{prefix}</c> (see
/// <see cref="PipelineStarter"/>, which both hosts share). <c>GET /api/runs/{id}/report</c> (function key) serves a finished run's report.
/// </summary>
internal static class PipelinesApi
{
    public static void Map(WebApplication app, HttpHost host, HostSettings settings)
    {
        var starter = host.Starter;
        // Healthy only while the task hub's storage answers: a host whose storage went away says so (503).
        app.MapGet("/api/health", async (CancellationToken cancellationToken) => await starter.StorageAnswersAsync(TimeSpan.FromSeconds(5), cancellationToken)
            ? Results.Ok(new { status = "healthy", hub = settings.DurableTask.HubName })
            : Results.Json(new { status = "unhealthy", hub = settings.DurableTask.HubName, error = "The task hub's storage does not answer." }, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapPost("/api/pipelines", async (HttpRequest request) =>
        {
            // The starter enforces the body limit itself (a 413 with the setting's name), as the Functions app does.
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = null;
            }
            var outcome = await starter.StartAsync(request.Body, request.HttpContext.RequestAborted);
            if (outcome.RetryAfter is { } retry)
            {
                request.HttpContext.Response.Headers.RetryAfter = retry;
            }
            if (outcome.RunId is not { } id)
            {
                return Results.Json(new ErrorBody(outcome.Error!), statusCode: outcome.StatusCode);
            }
            var uris = ManagementApi.Uris(host.PublicBase, host.Keys, id);
            request.HttpContext.Response.Headers.Location = uris.StatusQueryGetUri;
            return Results.Json(uris, statusCode: outcome.StatusCode);
        });
        app.MapGet("/api/runs/{id}/report", async (HttpRequest request, string id) =>
        {
            var (status, path, error) = await starter.ReportAsync(id, request.HttpContext.RequestAborted);
            return path is not null ? Results.File(path, "text/html; charset=utf-8") : Results.Json(new ErrorBody(error!), statusCode: status);
        });
        app.MapGet("/api/runs/{id}/submission.csv", async (HttpRequest request, string id) =>
        {
            var (status, path, error) = await starter.SubmissionAsync(id, request.HttpContext.RequestAborted);
            return path is not null ? Results.File(path, "text/csv; charset=utf-8", $"{id}-submission.csv") : Results.Json(new ErrorBody(error!), statusCode: status);
        });
    }
}
