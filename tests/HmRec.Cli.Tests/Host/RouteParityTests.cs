using HmRec.Orchestrators.Pipeline;

namespace HmRec.Cli.Tests.Host;

/// <summary>
/// <c>hmrec serve</c> and the Functions app answer the same routes: every HTTP function of the app's generated
/// functions.metadata is a route of serve with the same methods and the same key rule, and serve has no <c>/api</c> route
/// the app lacks; both hand their work to <see cref="PipelineStarter"/>, so serve's answers are the starter's outcomes.
/// </summary>
public sealed class RouteParityTests : IAsyncLifetime
{
    private const string FunctionKey = "function-key-for-the-parity-01";
    private const string SystemKey = "system-key-for-the-parity-0001";

    /// <summary>The Functions app's build output for the configuration these tests were built in.</summary>
    private static readonly string Functions = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../Functions/bin",
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0"));

    private readonly string work = Path.Combine(Path.GetTempPath(), $"hmrec-parity-{Guid.NewGuid():N}");
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
        Directory.Delete(work, recursive: true);
    }

    /// <summary>The app's HTTP functions: route (under the default <c>api/</c> prefix), methods and whether a key is needed.</summary>
    private static List<(string Route, string[] Methods, bool Keyed)> AppRoutes() =>
    [
        .. ((JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(Functions, "functions.metadata")))!)
            .SelectMany(f => f!["bindings"]!.AsArray())
            .Where(b => b!["type"]!.GetValue<string>() == "httpTrigger")
            .Select(b => ("api/" + b!["route"]!.GetValue<string>(), b["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).Order().ToArray(),
                b["authLevel"]!.GetValue<string>() != "Anonymous")),
    ];

    [Fact]
    public async Task ServeAndTheFunctionsApp_HaveTheSameApiRoutes_MethodsAndKeys()
    {
        var app = AppRoutes();
        Assert.Contains(app, r => r.Route == "api/pipelines");
        var serve = host.Routes.Where(r => r.Pattern.StartsWith("api/", StringComparison.Ordinal)).ToList();
        Assert.Equal(app.Select(r => r.Route).Order(), serve.Select(r => r.Pattern).Order());
        foreach (var (route, methods, keyed) in app)
        {
            Assert.Equal(methods, serve.Single(r => r.Pattern == route).Methods.Order().ToArray());
            var path = "/" + route.Replace("{id}", "no-such-run", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(methods[0]), path) { Content = methods[0] == "POST" ? new StringContent("{}") : null };
            var status = (await http.SendAsync(request)).StatusCode;
            Assert.True(keyed == (status == HttpStatusCode.Unauthorized), $"{methods[0]} {route}: {status} without a key; the app's authLevel says {(keyed ? "a key is needed" : "none")}");
        }
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
}
