using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;

namespace HmRec.TestSupport;

/// <summary>
/// A local HTTP server that answers like Azure Resource Manager for one Container Apps job (Microsoft.App/jobs): GET of
/// the job, POST start (202 with the execution's id and name, or 202 with a Location to poll when <see cref="AsyncStart"/>),
/// GET of an execution, POST stop of an execution; ARM's error bodies for a missing or wrong bearer token and for unknown
/// paths. <see cref="Started"/> decides what an execution does (by default it stays Running until told otherwise).
/// </summary>
public sealed class FakeResourceManager : IDisposable
{
    public const string Token = "test-token";
    public const string JobId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hmrec/providers/Microsoft.App/jobs/hmrec-train";

    private readonly LoopbackServer server;
    private int executions;

    public FakeResourceManager() => server = new LoopbackServer(Answer);

    /// <summary>The server's base URL (HMREC_ARM_ENDPOINT).</summary>
    public Uri Endpoint => server.Endpoint;

    /// <summary>The job as GET returns it; its template's first container is what a start without a template would run.</summary>
    public JsonObject Job { get; set; } = new()
    {
        ["id"] = JobId,
        ["name"] = "hmrec-train",
        ["properties"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "hmrec-train-gpu",
                    ["image"] = "example.azurecr.io/hmrec-train-gpu:1",
                    ["resources"] = new JsonObject { ["cpu"] = 8, ["memory"] = "56Gi" },
                    ["env"] = new JsonArray(new JsonObject { ["name"] = "AzureWebJobsStorage__credential", ["value"] = "managedidentity" }),
                }),
            },
        },
    };

    /// <summary>Answer a start with 202 and a Location to poll (an empty body) instead of the execution in the body.</summary>
    public bool AsyncStart { get; set; }

    /// <summary>When set, a start is refused with this status and ARM error code.</summary>
    public (HttpStatusCode Status, string Code)? RefuseStart { get; set; }

    /// <summary>Called on each start with the execution's name and the request body; returns the execution's first status.</summary>
    public Func<string, JsonObject, string> Started { get; set; } = (_, _) => "Running";

    /// <summary>Called on a stop of a running execution.</summary>
    public Action<string> Stopped { get; set; } = _ => { };

    /// <summary>Each execution's status, by name; tests set it to move an execution on.</summary>
    public ConcurrentDictionary<string, string> Executions { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request: method, path and query, and the body when there was one.</summary>
    public ConcurrentQueue<(string Method, string PathAndQuery, string? Authorization, JsonNode? Body)> Requests { get; } = new();

    public void Dispose() => server.Dispose();

    private void Answer(HttpListenerContext context)
    {
        var request = context.Request;
        string? text = null;
        if (request.HasEntityBody)
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        var path = request.Url!.AbsolutePath;
        var authorization = request.Headers["Authorization"];
        Requests.Enqueue((request.HttpMethod, request.Url.PathAndQuery, authorization, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text)));

        if (authorization != "Bearer " + Token)
        {
            Error(context, HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", "The access token is invalid.");
            return;
        }
        if (request.QueryString["api-version"] is not { Length: > 0 })
        {
            Error(context, HttpStatusCode.BadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
            return;
        }
        var executionsPrefix = JobId + "/executions/";
        switch (request.HttpMethod)
        {
            case "GET" when path.Equals(JobId, StringComparison.OrdinalIgnoreCase):
                Json(context, HttpStatusCode.OK, Job);
                return;
            case "POST" when path.Equals(JobId + "/start", StringComparison.OrdinalIgnoreCase):
                Start(context, text);
                return;
            case "GET" when path.StartsWith(JobId + "/operations/", StringComparison.OrdinalIgnoreCase):
                var name = path[(path.LastIndexOf('/') + 1)..];
                Json(context, HttpStatusCode.OK, Execution(name, withStatus: false));
                return;
            case "GET" when path.StartsWith(executionsPrefix, StringComparison.OrdinalIgnoreCase) && !path[executionsPrefix.Length..].Contains('/'):
                var execution = Uri.UnescapeDataString(path[executionsPrefix.Length..]);
                if (Executions.ContainsKey(execution))
                {
                    Json(context, HttpStatusCode.OK, Execution(execution, withStatus: true));
                }
                else
                {
                    Error(context, HttpStatusCode.NotFound, "ResourceNotFound", $"The execution '{execution}' was not found.");
                }
                return;
            case "POST" when path.StartsWith(executionsPrefix, StringComparison.OrdinalIgnoreCase) && path.EndsWith("/stop", StringComparison.Ordinal):
                var stopped = Uri.UnescapeDataString(path[executionsPrefix.Length..^"/stop".Length]);
                if (!Executions.TryGetValue(stopped, out var status))
                {
                    Error(context, HttpStatusCode.NotFound, "ResourceNotFound", $"The execution '{stopped}' was not found.");
                    return;
                }
                if (status is "Running" or "Processing")
                {
                    Executions[stopped] = "Stopped";
                    Stopped(stopped);
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
                return;
            default:
                Error(context, HttpStatusCode.NotFound, "ResourceNotFound", $"No resource at {path}.");
                return;
        }
    }

    private void Start(HttpListenerContext context, string? text)
    {
        if (RefuseStart is { } refuse)
        {
            Error(context, refuse.Status, refuse.Code, "The client does not have authorization to perform action 'Microsoft.App/jobs/start/action'.");
            return;
        }
        var name = $"hmrec-train-{Interlocked.Increment(ref executions):D4}";
        var body = text is null ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
        Executions[name] = Started(name, body);
        if (AsyncStart)
        {
            context.Response.StatusCode = 202;
            context.Response.Headers["Location"] = new Uri(Endpoint, JobId.TrimStart('/') + "/operations/" + name + "?api-version=2025-07-01").AbsoluteUri;
            context.Response.Headers["Retry-After"] = "0";
            context.Response.Close();
            return;
        }
        Json(context, HttpStatusCode.Accepted, Execution(name, withStatus: false));
    }

    private JsonObject Execution(string name, bool withStatus)
    {
        var execution = new JsonObject { ["id"] = JobId + "/executions/" + name, ["name"] = name, ["type"] = "Microsoft.App/jobs/executions" };
        if (withStatus)
        {
            execution["properties"] = new JsonObject { ["status"] = Executions[name], ["startTime"] = "2026-11-25T00:00:00Z" };
        }
        return execution;
    }

    private static void Json(HttpListenerContext context, HttpStatusCode status, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    private static void Error(HttpListenerContext context, HttpStatusCode status, string code, string message) =>
        Json(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });
}
