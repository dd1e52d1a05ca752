namespace HmRec.Orchestrators.Api.Routes;

/// <summary>
/// <c>POST /api/recommendations</c> with <c>{"customerIds": [...]}</c> (at most <see cref="MaxCustomers"/>): each
/// customer's recommendations as <see cref="RecommendationRoute"/> answers one, in the order asked.
/// </summary>
internal sealed class RecommendationsRoute : ApiRoute
{
    public const int MaxCustomers = 10_000;

    public override string Method => "POST";

    public override string Template => "recommendations";

    public override async Task<IResult> HandleAsync(HttpContext http, IApiHost host)
    {
        var (body, refusal) = await ReadJsonAsync<BatchBody>(http, """{"customerIds": ["<customer id>", ...]}""");
        if (refusal is not null)
        {
            return refusal;
        }
        if (body!.CustomerIds is not { } ids || ids.Any(string.IsNullOrEmpty))
        {
            return Error(400, """customerIds must be a list of customer ids: {"customerIds": ["<customer id>", ...]}.""");
        }
        if (ids.Count > MaxCustomers)
        {
            return Error(400, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"customerIds holds {ids.Count:N0} ids; at most {MaxCustomers:N0} per request."));
        }
        if (await host.Champion.CurrentAsync(http.RequestAborted) is not { } index)
        {
            return Error(404, "No run has been promoted to champion yet: there are no recommendations to serve.");
        }
        return Results.Ok(new { champion = index.Pointer.RunId, recommendations = ids.Select(index.For).ToList() });
    }

    private sealed record BatchBody(IReadOnlyList<string>? CustomerIds);
}
