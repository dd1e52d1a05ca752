namespace HmRec.Orchestrators.Api.Routes;

/// <summary><c>GET /api/runs/{id}/report</c>: a finished run's report (HTML).</summary>
internal sealed class RunReportRoute : ApiRoute
{
    public override string Method => "GET";

    public override string Template => "runs/{id}/report";

    public override async Task<IResult> HandleAsync(HttpContext http, IApiHost host) =>
        File(await host.Starter.ReportAsync((string)http.Request.RouteValues["id"]!, http.RequestAborted), "text/html; charset=utf-8");
}
