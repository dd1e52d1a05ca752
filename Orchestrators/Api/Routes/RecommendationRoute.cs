namespace HmRec.Orchestrators.Api.Routes;

/// <summary>
/// <c>GET /api/recommendations/{customerId}</c>: the champion's 12 articles for a customer, or the cold-start list
/// (the week's best sellers) for one its submission does not name, saying which; 404 while there is no champion.
/// </summary>
internal sealed class RecommendationRoute : ApiRoute
{
    public override string Method => "GET";

    public override string Template => "recommendations/{customerId}";

    public override async Task<IResult> HandleAsync(HttpContext http, IApiHost host)
    {
        if (await host.Champion.CurrentAsync(http.RequestAborted) is not { } index)
        {
            return Error(404, "No run has been promoted to champion yet: there are no recommendations to serve.");
        }
        var recommendation = index.For((string)http.Request.RouteValues["customerId"]!);
        return Results.Ok(new { recommendation.CustomerId, recommendation.Articles, recommendation.Source, champion = index.Pointer.RunId });
    }
}
