namespace HmRec.Orchestrators.Api.Routes;

/// <summary><c>GET /api/runs/{id}/submission.csv</c>: a finished run's submission, as a download.</summary>
internal sealed class RunSubmissionRoute : ApiRoute
{
    public override string Method => "GET";

    public override string Template => "runs/{id}/submission.csv";

    public override async Task<IResult> HandleAsync(HttpContext http, IApiHost host)
    {
        var id = (string)http.Request.RouteValues["id"]!;
        return File(await host.Starter.SubmissionAsync(id, http.RequestAborted), "text/csv; charset=utf-8", $"{id}-submission.csv");
    }
}
