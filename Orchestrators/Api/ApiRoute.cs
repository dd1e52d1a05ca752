namespace HmRec.Orchestrators.Api;

/// <summary>What a route needs of the host that serves it.</summary>
public interface IApiHost
{
    /// <summary>The front door both hosts share: starts, the retrain rule, health, a run's files.</summary>
    PipelineStarter Starter { get; }

    /// <summary>The champion's recommendations, loaded once per champion for this host.</summary>
    Activities.Champion.ChampionServing Champion { get; }

    /// <summary>The task hub's name.</summary>
    string HubName { get; }

    /// <summary>The answer to a start that scheduled <paramref name="instanceId"/>: 202 with the host's management URLs.</summary>
    IResult Started(HttpContext http, string instanceId);
}

/// <summary>
/// One HTTP route under <c>/api/</c>, each in a file of its own in <c>Routes/</c> and registered in
/// <see cref="ApiRoutes.Registered"/>: both hosts serve exactly these (<c>hmrec serve</c> maps each; the Functions app
/// has one keyless function for the keyless routes and one keyed function that dispatches the rest through
/// <see cref="ApiRoutes.Match"/>). A handler reads its route values from <see cref="HttpRequest.RouteValues"/>.
/// </summary>
public abstract class ApiRoute
{
    /// <summary>The HTTP method (GET, POST...).</summary>
    public abstract string Method { get; }

    /// <summary>The route template after <c>/api/</c>, in ASP.NET Core's syntax (<c>runs/{id}/report</c>).</summary>
    public abstract string Template { get; }

    /// <summary>Whether the function key (or the system key) is needed; only the health probe answers without one.</summary>
    public virtual bool Keyed => true;

    public abstract Task<IResult> HandleAsync(HttpContext http, IApiHost host);

    /// <summary>A 4xx or 5xx answer with the body every error has: <c>{"error": "..."}</c>.</summary>
    public static IResult Error(int statusCode, string message) => Results.Json(new ApiError(message), statusCode: statusCode);

    /// <summary>The request's JSON body (whatever its content type says) as <typeparamref name="T"/>, or the 400 that says what is wrong with it.</summary>
    protected static async Task<(T? Body, IResult? Refusal)> ReadJsonAsync<T>(HttpContext http, string expected)
        where T : class
    {
        try
        {
            var body = await System.Text.Json.JsonSerializer.DeserializeAsync<T>(http.Request.Body, System.Text.Json.JsonSerializerOptions.Web, http.RequestAborted);
            return body is null ? (null, Error(400, $"The body must be {expected}.")) : (body, null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return (null, Error(400, $"The body must be {expected}: {e.Message.ReplaceLineEndings(" ")}"));
        }
    }

    /// <summary>A run's file, or the starter's error for it (<paramref name="download"/>: the name to save it under).</summary>
    protected static IResult File((int StatusCode, string? Path, string? Error) found, string contentType, string? download = null) =>
        found.Path is { } path ? Results.File(path, contentType, download) : Error(found.StatusCode, found.Error!);
}

/// <summary>The body of every error answer.</summary>
public sealed record ApiError(string Error);
