using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace HmRec.Orchestrators.Api;

/// <summary>Every route under <c>/api/</c>, each in its own file in <c>Routes/</c>: the one list both hosts serve.</summary>
public static class ApiRoutes
{
    public static readonly IReadOnlyList<ApiRoute> Registered =
    [
        new Routes.HealthRoute(), new Routes.StartPipelineRoute(), new Routes.RunReportRoute(), new Routes.RunSubmissionRoute(),
        new Routes.RunHistoryRoute(), new Routes.ChampionRoute(), new Routes.PromoteRoute(), new Routes.RollbackRoute(),
        new Routes.RecommendationRoute(), new Routes.RecommendationsRoute(),
    ];

    private static readonly IReadOnlyList<(ApiRoute Route, TemplateMatcher Matcher)> Matchers =
        [.. Registered.Select(r => (r, new TemplateMatcher(TemplateParser.Parse(r.Template), new RouteValueDictionary())))];

    /// <summary>
    /// The route <paramref name="method"/> <c>/api/{path}</c> names, with its values, as serve's routing would find it;
    /// otherwise the error answer (404 when no template matches the path, 405 when one does for another method).
    /// </summary>
    public static (ApiRoute? Route, RouteValueDictionary Values, IResult? Refusal) Match(string method, string path)
    {
        var matchedPath = false;
        foreach (var (route, matcher) in Matchers)
        {
            var values = new RouteValueDictionary();
            if (!matcher.TryMatch("/" + path.TrimStart('/'), values))
            {
                continue;
            }
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                return (route, values, null);
            }
            matchedPath = true;
        }
        var shown = path.Length > 200 ? path[..200] + "..." : path;
        return (null, [], matchedPath
            ? ApiRoute.Error(StatusCodes.Status405MethodNotAllowed, $"{method} is not allowed on /api/{shown}.")
            : ApiRoute.Error(StatusCodes.Status404NotFound, $"No route matches {method} /api/{shown}."));
    }
}
