namespace HmRec.Orchestrators.Api.Routes;

/// <summary><c>GET /api/champion</c>: the current champion (its run, the ones before it, why it changed) and its manifest; 404 while there is none.</summary>
internal sealed class ChampionRoute : ApiRoute
{
    public override string Method => "GET";

    public override string Template => "champion";

    public override Task<IResult> HandleAsync(HttpContext http, IApiHost host)
    {
        var store = host.Champion.Store;
        return Task.FromResult(store.Current() is { } pointer
            ? Results.Ok(new { pointer.RunId, pointer.Previous, pointer.Changed, pointer.Reason, manifest = store.Manifest(pointer.RunId) })
            : Error(404, "No run has been promoted to champion yet."));
    }
}
