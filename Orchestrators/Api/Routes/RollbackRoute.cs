namespace HmRec.Orchestrators.Api.Routes;

/// <summary><c>POST /api/champion/rollback</c>: returns to the champion before the current one; 409 when there is none before it.</summary>
internal sealed class RollbackRoute : ApiRoute
{
    public override string Method => "POST";

    public override string Template => "champion/rollback";

    public override async Task<IResult> HandleAsync(HttpContext http, IApiHost host)
    {
        try
        {
            return Results.Ok(await Task.Run(() => ChampionActions.Rollback(host.Champion.Store, DateTime.UtcNow)).ConfigureAwait(false));
        }
        catch (InvalidOperationException e)
        {
            return Error(409, e.Message);
        }
    }
}
