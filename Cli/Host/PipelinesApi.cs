using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
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
/// <see cref="HttpHost.PrepareRunAsync"/>).
/// </summary>
internal static class PipelinesApi
{
    public static void Map(WebApplication app, HttpHost host, HostSettings settings)
    {
        app.MapGet("/api/health", () => Results.Ok(new { status = "healthy", hub = settings.DurableTask.HubName, store = host.StoreDirectory }));
        app.MapPost("/api/pipelines", async (HttpRequest request) =>
        {
            PipelineOptions options;
            string? data;
            try
            {
                using var reader = new StreamReader(request.Body);
                (options, data) = PipelineStartBody.Parse(await reader.ReadToEndAsync());
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
            {
                return Results.BadRequest(new ErrorBody(e.Message));
            }
            PipelineRequest run;
            try
            {
                run = await host.PrepareRunAsync(data, options, null, Guid.NewGuid().ToString("N")[..12], request.HttpContext.RequestAborted);
            }
            catch (InputDataException e)
            {
                return Results.BadRequest(new ErrorBody(e.Message));
            }
            await host.Client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, run, new StartOrchestrationOptions(run.RunId));
            var uris = ManagementApi.Uris(request, host.Keys, run.RunId);
            request.HttpContext.Response.Headers.Location = uris.StatusQueryGetUri;
            request.HttpContext.Response.Headers.RetryAfter = "10";
            return Results.Json(uris, statusCode: StatusCodes.Status202Accepted);
        });
    }
}
