namespace HmRec.Orchestrators.Api.Routes;

/// <summary>
/// <c>POST /api/champion/promote</c> with <c>{"runId": "..."}</c>: makes a finished run the champion by hand, whatever
/// its numbers; 400 for a run that cannot be (unfinished, no ranker), naming why.
/// </summary>
internal sealed class PromoteRoute : ApiRoute
{
    public override string Method => "POST";

    public override string Template => "champion/promote";

    public override async Task<IResult> HandleAsync(HttpContext http, IApiHost host)
    {
        var (body, refusal) = await ReadJsonAsync<PromoteBody>(http, """{"runId": "<a finished run's id>"}""");
        if (refusal is not null)
        {
            return refusal;
        }
        if (body!.RunId is not { } id || !PipelineStarter.IsRunId(id))
        {
            return Error(400, "runId must name a run (letters, digits, '-', '_' and '.').");
        }
        try
        {
            return Results.Ok(await Task.Run(() => ChampionActions.PromoteAsync(host.Champion.Store, id, DateTime.UtcNow, http.RequestAborted)).ConfigureAwait(false));
        }
        catch (InvalidOperationException e)
        {
            return Error(400, e.Message);
        }
    }

    private sealed record PromoteBody(string? RunId);
}
