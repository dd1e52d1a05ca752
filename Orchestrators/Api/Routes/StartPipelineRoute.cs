using Microsoft.AspNetCore.Http.Features;

namespace HmRec.Orchestrators.Api.Routes;

/// <summary>
/// <c>POST /api/pipelines</c>: starts a run. The optional JSON body holds option overrides (the names of
/// <c>PipelineOptions</c>) and <c>data</c> (<c>blob:{prefix}</c> of the run storage, or a folder under the data roots); a
/// bad body, path or limit is a 4xx naming it (<see cref="PipelineStarter.StartAsync"/>). Answers 202 with the host's
/// Durable management URLs and <c>Location</c>.
/// </summary>
internal sealed class StartPipelineRoute : ApiRoute
{
    public override string Method => "POST";

    public override string Template => "pipelines";

    public override async Task<IResult> HandleAsync(HttpContext http, IApiHost host)
    {
        // The starter enforces the body limit itself (a 413 that names the setting), in both hosts.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }
        var outcome = await host.Starter.StartAsync(http.Request.Body, http.RequestAborted);
        if (outcome.RetryAfter is { } retry)
        {
            http.Response.Headers.RetryAfter = retry;
        }
        return outcome.RunId is { } id ? host.Started(http, id) : Error(outcome.StatusCode, outcome.Error!);
    }
}
