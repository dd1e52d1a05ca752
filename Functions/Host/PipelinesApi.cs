using System.Text.Json;
using HmRec.Durable.Client;
using HmRec.Orchestrators.Pipeline;
using HmRec.Shared.Data;
using HmRec.Shared.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HmRec.Functions.Host;

/// <summary>
/// The HTTP triggers: <c>GET /api/health</c> (no key) and <c>POST /api/pipelines</c>, which starts a run
/// and answers as a Durable Functions HTTP starter does: 202 with <c>Location</c>, <c>Retry-After</c> and the
/// management URIs. The optional JSON body holds option overrides (the names of <see cref="PipelineOptions"/>,
/// any case, nested as there) and <c>data</c>, a folder with the three CSV files or <c>blob:{prefix}</c> (see
/// <see cref="HttpHost.PrepareRunAsync"/>).
/// </summary>
internal static class PipelinesApi
{
    private static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static void Map(WebApplication app, HttpHost host, HostSettings settings)
    {
        app.MapGet("/api/health", () => Results.Ok(new { status = "healthy", hub = settings.DurableTask.HubName, store = host.StoreDirectory }));
        app.MapPost("/api/pipelines", async (HttpRequest request) =>
        {
            PipelineOptions options;
            string? data;
            try
            {
                (options, data) = await ReadBody(request);
                options.Validate();
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

    /// <summary>The options (defaults overridden by the body) and the data folder; an empty body is all defaults.</summary>
    private static async Task<(PipelineOptions Options, string? Data)> ReadBody(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        if (string.IsNullOrWhiteSpace(text))
        {
            return (new PipelineOptions(), null);
        }
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The body must be a JSON object of option overrides.");
        }
        string? data = null;
        var rest = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (string.Equals(property.Name, "data", StringComparison.OrdinalIgnoreCase))
            {
                data = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()
                    : throw new JsonException("'data' must be a string: the folder holding articles.csv, customers.csv and transactions_train.csv.");
            }
            else
            {
                rest[property.Name] = property.Value;
            }
        }
        var options = JsonSerializer.Deserialize<PipelineOptions>(JsonSerializer.Serialize(rest), Strict) ?? new PipelineOptions();
        return (options, data);
    }
}
