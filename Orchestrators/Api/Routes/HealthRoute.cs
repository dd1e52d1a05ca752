namespace HmRec.Orchestrators.Api.Routes;

/// <summary><c>GET /api/health</c> (no key): 200 while the task hub's storage answers (within 5 s), else 503.</summary>
internal sealed class HealthRoute : ApiRoute
{
    public override string Method => "GET";

    public override string Template => "health";

    public override bool Keyed => false;

    public override async Task<IResult> HandleAsync(HttpContext http, IApiHost host) =>
        await host.Starter.StorageAnswersAsync(TimeSpan.FromSeconds(5), http.RequestAborted)
            ? Results.Ok(new { status = "healthy", hub = host.HubName })
            : Results.Json(new { status = "unhealthy", hub = host.HubName, error = "The task hub's storage does not answer." },
                statusCode: StatusCodes.Status503ServiceUnavailable);
}
