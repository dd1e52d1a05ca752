using HmRec.Orchestrators.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;

namespace HmRec.Functions;

/// <summary>
/// The HTTP triggers and the weekly retrain timer. The routes are the ones <c>hmrec serve</c> maps too
/// (<see cref="ApiRoutes.Registered"/>, each written once): the keyless health probe has a function of its own, every
/// other route is dispatched by one keyed function. Starts, retrains and files go through <see cref="PipelineStarter"/>.
/// </summary>
public sealed class Triggers(StarterSettings settings, HmRec.Activities.Champion.ChampionServing champion)
{
    /// <summary><c>GET /api/health</c> (no key).</summary>
    [Function("Health")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        AnswerAsync(request, "health", client, context);

    /// <summary>Every keyed route of <see cref="ApiRoutes"/> (function key): 404 or 405 as serve answers when none matches.</summary>
    [Function("Api")]
    public Task<IActionResult> Api(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "delete", Route = "{*path}")] HttpRequest request,
        string path,
        [DurableClient] DurableTaskClient client,
        FunctionContext context) =>
        AnswerAsync(request, path, client, context);

    private async Task<IActionResult> AnswerAsync(HttpRequest request, string path, DurableTaskClient client, FunctionContext context)
    {
        var (route, values, refusal) = ApiRoutes.Match(request.Method, path);
        IResult result;
        if (route is null)
        {
            result = refusal!;
        }
        else
        {
            foreach (var (name, value) in values)
            {
                request.RouteValues[name] = value;
            }
            result = await route.HandleAsync(request.HttpContext, new AppHost(new PipelineStarter(client, settings), client, champion, await context.GetHttpRequestDataAsync()));
        }
        await result.ExecuteAsync(request.HttpContext);
        return new EmptyResult();
    }

    /// <summary>The app as the routes see it: its management URLs are the Durable extension's.</summary>
    private sealed class AppHost(PipelineStarter starter, DurableTaskClient client, HmRec.Activities.Champion.ChampionServing champion, HttpRequestData? request)
        : IApiHost
    {
        public PipelineStarter Starter => starter;

        public HmRec.Activities.Champion.ChampionServing Champion => champion;

        public string HubName => client.Name;

        public IResult Started(HttpContext http, string instanceId)
        {
            var payload = client.CreateHttpManagementPayload(instanceId, request);
            http.Response.Headers.Location = payload.StatusQueryGetUri;
            return Results.Json(payload, statusCode: StatusCodes.Status202Accepted);
        }
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
}
