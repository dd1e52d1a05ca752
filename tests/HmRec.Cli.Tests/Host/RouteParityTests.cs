using HmRec.Orchestrators.Api;
using HmRec.Orchestrators.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace HmRec.Cli.Tests.Host;

/// <summary>
/// <c>hmrec serve</c> and the Functions app answer the same routes: serve maps exactly <see cref="ApiRoutes.Registered"/>
/// with their methods and key rule, the app's generated functions.metadata has a keyless function for each keyless route
/// and one keyed function whose dispatch finds every other; unknown routes and methods get the same answer from both; a
/// start's answers are the shared starter's outcomes.
/// </summary>
public sealed class RouteParityTests : IAsyncLifetime
{
    private const string FunctionKey = "function-key-for-the-parity-01";
    private const string SystemKey = "system-key-for-the-parity-0001";

    /// <summary>The Functions app's build output for the configuration these tests were built in.</summary>
    private static readonly string Functions = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../Functions/bin",
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0"));

    private readonly TempFolder work = new("parity");
    private HttpHost host = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        var settings = new HostSettings(new DurableTaskOptions(), new AppSettings { FunctionKey = FunctionKey, SystemKey = SystemKey });
        host = await HttpHost.StartAsync(settings, Path.Combine(work, "store"), ["http://127.0.0.1:0"]);
        http = new HttpClient { BaseAddress = host.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await host.StopAsync(TimeSpan.FromSeconds(30));
        await host.DisposeAsync();
        work.Dispose();
    }

    /// <summary>The app's HTTP functions: route (under the default <c>api/</c> prefix), methods and whether a key is needed.</summary>
    private static List<(string Route, string[] Methods, bool Keyed)> AppFunctions() =>
    [
        .. ((JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(Functions, "functions.metadata")))!)
            .SelectMany(f => f!["bindings"]!.AsArray())
            .Where(b => b!["type"]!.GetValue<string>() == "httpTrigger")
            .Select(b => ("api/" + b!["route"]!.GetValue<string>(), b["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).Order().ToArray(),
                b["authLevel"]!.GetValue<string>() != "Anonymous")),
    ];

    /// <summary>A path that <paramref name="route"/>'s template matches.</summary>
    private static string Sample(ApiRoute route) => System.Text.RegularExpressions.Regex.Replace(route.Template, "{[^}]+}", "no-such-thing");

    [Fact]
    public async Task ServeAndTheFunctionsApp_ServeEveryRegisteredRoute_WithTheSameMethodsAndKeys()
    {
        var app = AppFunctions();
        var serve = host.Routes.Where(r => r.Pattern.StartsWith("api/", StringComparison.Ordinal)).ToList();
        // serve maps exactly the registered routes.
        Assert.Equal(ApiRoutes.Registered.Select(r => "api/" + r.Template).Order(), serve.Select(r => r.Pattern).Order());
        // The app: a keyless function per keyless route, and one keyed function for all the others.
        var keyedFunction = Assert.Single(app, f => f.Keyed);
        Assert.Equal("api/{*path}", keyedFunction.Route);
        Assert.Equal(ApiRoutes.Registered.Where(r => !r.Keyed).Select(r => "api/" + r.Template).Order(), app.Where(f => !f.Keyed).Select(f => f.Route).Order());
        foreach (var route in ApiRoutes.Registered)
        {
            Assert.Equal([route.Method], serve.Single(r => r.Pattern == "api/" + route.Template).Methods);
            // What the app's keyed function dispatches to, for this route's path, is this route.
            Assert.Same(route, ApiRoutes.Match(route.Method, Sample(route)).Route);
            if (route.Keyed)
            {
                Assert.Contains(route.Method, keyedFunction.Methods);
            }
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), "/api/" + Sample(route)) { Content = route.Method == "POST" ? new StringContent("{}") : null };
            var status = (await http.SendAsync(request)).StatusCode;
            Assert.True(route.Keyed == (status == HttpStatusCode.Unauthorized), $"{route.Method} {route.Template}: {status} without a key");
        }
    }

    [Theory]
    [InlineData("GET", "no/such/route")]
    [InlineData("DELETE", "pipelines")]
    [InlineData("POST", "runs/x/report")]
    public async Task AnUnknownRouteOrMethod_GetsTheSameAnswerFromBothHosts(string method, string path)
    {
        var (route, _, refusal) = ApiRoutes.Match(method, path);
        Assert.Null(route);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await refusal!.ExecuteAsync(context);
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/" + path);
        request.Headers.Add(FunctionKeys.Header, FunctionKey);
        var response = await http.SendAsync(request);
        Assert.Equal(context.Response.StatusCode, (int)response.StatusCode);
        context.Response.Body.Position = 0;
        var appError = JsonNode.Parse(await new StreamReader(context.Response.Body).ReadToEndAsync())!["error"]!.GetValue<string>();
        Assert.Equal(appError, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"Shards\": 0}")]
    [InlineData("{\"Shards\": 4096}")]
    [InlineData("{\"data\": \"/etc\"}")]
    [InlineData("{\"Training\": null}")]
    public async Task Serve_AnswersAStart_AsTheSharedStarterDoes(string body)
    {
        var expected = await host.Starter.StartAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pipelines") { Content = new StringContent(body) };
        request.Headers.Add(FunctionKeys.Header, FunctionKey);
        var response = await http.SendAsync(request);
        Assert.Equal(expected.StatusCode, (int)response.StatusCode);
        Assert.Equal(expected.Error, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheChampionRoutes_ServeItsSubmission_ItsHistory_AndRefuseWhatCannotBeDone()
    {
        var runs = host.RunsRoot;
        async Task<(HttpStatusCode Status, JsonNode? Body)> Send(HttpMethod method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body) };
            request.Headers.Add(FunctionKeys.Header, FunctionKey);
            var response = await http.SendAsync(request);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }
        // No champion yet.
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/recommendations/c1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/champion")).Status);

        // A finished run in the store, installed as the champion.
        var run = Path.Combine(runs, "runs", "run-served");
        Directory.CreateDirectory(Path.Combine(run, "eval"));
        File.WriteAllLines(Path.Combine(run, "submission.csv"), ["customer_id,prediction", "c1,0100000001 0100000002", "c2,0200000001"]);
        var decision = new Activities.Champion.PromotionDecision("run-served", new DateOnly(2020, 9, 22), true, "better", "lgb_binary", 0.2, 0.1, 2, null, null, null);
        File.WriteAllText(Path.Combine(run, "eval", Activities.Champion.PromotionActivity.FileName), JsonSerializer.Serialize(decision));
        var store = Activities.Champion.ChampionStore.In(runs);
        store.Install(run, new Activities.Champion.ChampionManifest("run-served", decision.DataLastDay, "lgb_binary", 0.2, 0.1, ["0300000001"], 2, "better"), null, null);
        store.Record(decision);
        store.Swap("run-served", "better", DateTime.UtcNow);

        var one = (await Send(HttpMethod.Get, "/api/recommendations/c1")).Body!;
        Assert.Equal(["0100000001", "0100000002"], one["articles"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("champion", one["source"]!.GetValue<string>());
        Assert.Equal("run-served", one["champion"]!.GetValue<string>());
        var batch = await Send(HttpMethod.Post, "/api/recommendations", """{"customerIds": ["c2", "someone-new"]}""");
        Assert.Equal(HttpStatusCode.OK, batch.Status);
        var lists = batch.Body!["recommendations"]!.AsArray();
        Assert.Equal(["0200000001"], lists[0]!["articles"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["cold start"], lists.Skip(1).Select(l => l!["source"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, "/api/recommendations", """{"customerIds": "c1"}""")).Status);

        Assert.Equal("run-served", (await Send(HttpMethod.Get, "/api/champion")).Body!["runId"]!.GetValue<string>());
        var history = (await Send(HttpMethod.Get, "/api/runs")).Body!;
        Assert.Equal("run-served", history["champion"]!.GetValue<string>());
        Assert.Equal(["run-served"], history["runs"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>()));

        var rollback = await Send(HttpMethod.Post, "/api/champion/rollback");
        Assert.Equal(HttpStatusCode.Conflict, rollback.Status);
        Assert.Contains("none before it", rollback.Body!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var promote = await Send(HttpMethod.Post, "/api/champion/promote", """{"runId": "no-such-run"}""");
        Assert.Equal(HttpStatusCode.BadRequest, promote.Status);
        Assert.Contains("no promotion decision", promote.Body!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, "/api/champion/promote", "{not json")).Status);
    }
}
