namespace HmRec.Orchestrators.Api.Routes;

/// <summary><c>POST /api/champion/rollback</c>: returns to the champion before the current one; 409 when there is none before it.</summary>
internal sealed class RollbackRoute : ApiRoute
{
    public override string Method => "POST";

    public override string Template => "champion/rollback";

    public override Task<IResult> HandleAsync(HttpContext http, IApiHost host)
    {
        try
        {
            return Task.FromResult(Results.Ok(ChampionActions.Rollback(host.Starter.Settings.RunsRoot, DateTime.UtcNow)));
        }
        catch (InvalidOperationException e)
        {
            return Task.FromResult(Error(409, e.Message));
        }
    }
}
