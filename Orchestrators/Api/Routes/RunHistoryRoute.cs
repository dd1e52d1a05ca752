namespace HmRec.Orchestrators.Api.Routes;

/// <summary>
/// <c>GET /api/runs</c>: every finished run's promotion decision, oldest data first (its data's last day, its best
/// ranker's MAP@12, the rule's, their ratio, the champion's on the same week, promoted or not and why), and the
/// current champion.
/// </summary>
internal sealed class RunHistoryRoute : ApiRoute
{
    public override string Method => "GET";

    public override string Template => "runs";

    public override Task<IResult> HandleAsync(HttpContext http, IApiHost host) =>
        Task.Run(() => Results.Ok(new
        {
            champion = host.Champion.Store.Current()?.RunId,
            runs = host.Champion.Store.History(),
        }));
}
