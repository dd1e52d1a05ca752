namespace HmRec.Cli.Tests.Host;

/// <summary>The HTTP API end to end: a real host on a free loopback port, a real socket, a real pipeline.</summary>
public sealed class HttpApiTests : IAsyncLifetime
{
    private const string FunctionKey = "function-key-for-the-tests-0001";
    private const string SystemKey = "system-key-for-the-tests-000001";

    private readonly TempFolder work = new("http");
    private HttpHost host = null!;
    private HttpClient http = null!;

    private string Data => Path.Combine(work, "data");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(work);
        SyntheticDataGenerator.Generate(new SyntheticOptions(300, 120, Seed: 3), Data);
        var settings = new HostSettings(new DurableTaskOptions(), new AppSettings
        {
            FunctionKey = FunctionKey,
            SystemKey = SystemKey,
            Limits = new HostLimits { MaxRunsInProgress = 3, MaxRequestBodyBytes = 64 * 1024 },
        });
        // The tests' data folders are under work/, the folder given to the host as a data root (as serve --data-root).
        host = await HttpHost.StartAsync(settings, Path.Combine(work, "store"), ["http://127.0.0.1:0"], dataRoots: [work]);
        http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await host.StopAsync(TimeSpan.FromSeconds(30));
        await host.DisposeAsync();
        work.Dispose();
    }

    [Fact]
    public async Task Keys_HealthIsOpen_EverythingElseNeedsTheRightKey()
    {
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/pipelines", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, "/api/pipelines", "wrong-key-wrong-key-wrong")).StatusCode);
        // The function key does not open the runtime API; the system key does (header or code=).
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/runtime/webhooks/durabletask/instances", FunctionKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/runtime/webhooks/durabletask/instances", SystemKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/runtime/webhooks/durabletask/instances?code={SystemKey}")).StatusCode);
        var refused = await http.GetAsync("/runtime/webhooks/durabletask/instances/x");
        Assert.Contains("x-functions-key", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "")]
    [InlineData("[1, 2]", "JSON object")]
    [InlineData("{\"Shards\": 0}", "Shards must be between 1")]
    [InlineData("{\"Shards\": \"four\"}", "Shards")]
    [InlineData("{\"Trainin\": {}}", "'Trainin'")]
    [InlineData("{\"Training\": {\"MaxRoundz\": 3}}", "'MaxRoundz'")]
    [InlineData("{\"TwoTower\": {\"Device\": \"tpu\"}}", "TwoTower.Device")]
    [InlineData("{\"data\": \"/no/such/folder\"}", "data: '/no/such/folder' is not under the folders this host reads data from (the setting HMREC_DATA_ROOTS).")]
    [InlineData("{\"data\": \"/etc\"}", "data: '/etc' is not under the folders this host reads data from (the setting HMREC_DATA_ROOTS).")]
    [InlineData("{\"Features\": {\"ImageEmbeddings\": \"/etc/passwd\"}}", "Features.ImageEmbeddings: '/etc/passwd' is not under the folders")]
    [InlineData("{\"Shards\": 4096}", "over the limit HMREC_MAX_ACTIVITIES_PER_RUN = 10,000")]
    [InlineData("{\"Training\": {\"Threads\": 100000}}", "Training.Threads must be between 0 and 256")]
    [InlineData("{\"TwoTower\": {\"MaxAttempts\": 1000}}", "TwoTower.MaxAttempts must be between 1 and 10")]
    [InlineData("{\"TwoTower\": {\"TimeoutMinutes\": 100000}}", "TwoTower.TimeoutMinutes must be in (0, 1440]")]
    [InlineData("{\"Shards\": 2.5}", "Shards: expected a whole number.")]
    [InlineData("{\"data\": \"\"}", "'data' must be a string naming a folder")]
    [InlineData("{\"data\": \"a\\u0000b\"}", "'data' must be a string naming a folder")]
    [InlineData("{\"Training\": null}", "Training must be an object of options")]
    [InlineData("{\"Recall\": null}", "Recall must be an object of options")]
    [InlineData("{\"Recall\": {\"Repurchase\": null}}", "Recall.Repurchase must be an object of options")]
    [InlineData("{\"Ingest\": null}", "Ingest must be an object of options")]
    [InlineData("{\"Features\": null}", "Features must be an object of options")]
    [InlineData("{\"TwoTower\": null}", "TwoTower must be an object of options")]
    [InlineData("{\"Recall\": {\"Category\": {\"Column\": \"section_no\"}}}", "Recall.Category.Column cannot be set")]
    public async Task StartPipeline_BadBody_400NamingTheField(string body, string expected)
    {
        var response = await Send(HttpMethod.Post, "/api/pipelines", FunctionKey, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>();
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error, StringComparison.Ordinal); // no .NET type names
        Assert.DoesNotContain("BytePositionInLine", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRouteWrongMethodMonitorAndHealth_AnswerAsAnApi_WithoutInternals()
    {
        var missing = await Send(HttpMethod.Get, "/api/nothing-here", FunctionKey);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("No route matches GET /api/nothing-here.", (await missing.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
        var wrong = await Send(HttpMethod.Put, "/api/pipelines", FunctionKey, "{}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Equal("PUT is not allowed on /api/pipelines.", (await wrong.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
        var monitor = await http.GetAsync("/monitor");
        Assert.Equal("DENY", monitor.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", monitor.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var health = await (await http.GetAsync("/api/health")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(work, health, StringComparison.Ordinal);
        Assert.DoesNotContain("store", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartPipeline_202WithManagementUris_StatusMovesFrom202To200WithTheResult()
    {
        var started = await Send(HttpMethod.Post, "/api/pipelines", FunctionKey, Body());
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var uris = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = uris["id"]!.GetValue<string>();
        Assert.Equal(uris["statusQueryGetUri"]!.GetValue<string>(), started.Headers.Location!.ToString());
        Assert.NotNull(started.Headers.RetryAfter);
        foreach (var name in new[] { "statusQueryGetUri", "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "suspendPostUri", "resumePostUri" })
        {
            Assert.Contains(id, uris[name]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.StartsWith(http.BaseAddress!.GetLeftPart(UriPartial.Authority) + "/runtime/", uris[name]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // A request naming another host is refused, so no link (they carry the system key) can point elsewhere.
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "/api/pipelines") { Content = new StringContent(Body()) })
        {
            forged.Headers.Host = "attacker.example";
            forged.Headers.Add("x-functions-key", FunctionKey);
            Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(forged)).StatusCode);
        }

        var codes = new List<HttpStatusCode>();
        JsonObject status;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            while (true)
            {
                var response = await http.GetAsync(uris["statusQueryGetUri"]!.GetValue<string>(), deadline.Token);
                codes.Add(response.StatusCode);
                status = (await response.Content.ReadFromJsonAsync<JsonObject>(deadline.Token))!;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                Assert.NotNull(response.Headers.Location);
                await Task.Delay(200, deadline.Token);
            }
        }
        Assert.Equal(HttpStatusCode.Accepted, codes[0]);
        Assert.Equal("Completed", status["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Pipeline", status["name"]!.GetValue<string>());
        Assert.Equal(id, status["instanceId"]!.GetValue<string>());
        Assert.Equal("done", status["customStatus"]!["stage"]!.GetValue<string>());
        Assert.True(status["output"]!["evaluation"]!["models"]!.AsArray().Count >= 8);
        Assert.NotNull(status["input"]);
        Assert.True(File.Exists(status["output"]!["submission"]!["path"]!.GetValue<string>()));

        // The run's report: named in the output, served at /api/runs/{id}/report with the function key only.
        Assert.EndsWith(Path.Combine("eval", "report.html"), status["output"]!["report"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/runs/{id}/report")).StatusCode);
        var report = await Send(HttpMethod.Get, $"/api/runs/{id}/report", FunctionKey);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/html", report.Content.Headers.ContentType!.MediaType);
        var html = await report.Content.ReadAsStringAsync();
        Assert.Contains("chart-models", html, StringComparison.Ordinal);
        Assert.Contains("chart-timeline", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/runs/no-such-run/report", FunctionKey)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Get, "/api/runs/..%2F..%2Fetc/report", FunctionKey)).StatusCode);

        var detailed = (await (await Send(HttpMethod.Get, $"/runtime/webhooks/durabletask/instances/{id}?showHistory=true&showInput=false", SystemKey)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Null(detailed["input"]);
        var history = detailed["historyEvents"]!.AsArray();
        Assert.Contains(history, e => e!["EventType"]!.GetValue<string>() == "ExecutionStarted");
        Assert.Contains(history, e => e!["EventType"]!.GetValue<string>() == "ExecutionCompleted");

        // Ended: events and terminate are refused with 410; purge removes it; then it is unknown.
        Assert.Equal(HttpStatusCode.Gone, (await Send(HttpMethod.Post, $"/runtime/webhooks/durabletask/instances/{id}/raiseEvent/Go", SystemKey, "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await Send(HttpMethod.Post, $"/runtime/webhooks/durabletask/instances/{id}/terminate?reason=late", SystemKey)).StatusCode);
        // Purge can also delete the run's folder (an option).
        var runFolder = Path.Combine(work, "store", "runs", id);
        Assert.True(Directory.Exists(runFolder));
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Delete, $"/runtime/webhooks/durabletask/instances/{id}?deleteRunFolder=maybe", SystemKey)).StatusCode);
        var purged = await Send(HttpMethod.Delete, $"/runtime/webhooks/durabletask/instances/{id}?deleteRunFolder=true", SystemKey);
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal(1, (await purged.Content.ReadFromJsonAsync<JsonObject>())!["runFoldersDeleted"]!.GetValue<int>());
        Assert.False(Directory.Exists(runFolder));
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/runtime/webhooks/durabletask/instances/{id}", SystemKey)).StatusCode);
    }

    [Fact]
    public async Task Management_SuspendResumeEventTerminate_QueryPagesAndPurgeByFilter()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var started = await Send(HttpMethod.Post, "/api/pipelines", FunctionKey, Body());
            ids.Add((await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        }
        string Instance(string id) => $"/runtime/webhooks/durabletask/instances/{id}";

        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Post, Instance(ids[0]) + "/suspend?reason=check", SystemKey)).StatusCode);
        await WaitFor(ids[0], "Suspended");
        // Nothing that has not ended is purged: by id it is a 409 naming the status, by a filter naming a live status a 400.
        var refused = await Send(HttpMethod.Delete, Instance(ids[0]), SystemKey);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("is Suspended", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Delete, "/runtime/webhooks/durabletask/instances?runtimeStatus=Suspended", SystemKey)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Delete, "/runtime/webhooks/durabletask/instances?runtimeStatus=Running,Completed", SystemKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Get, Instance(ids[0]), SystemKey)).StatusCode); // still there, not ended
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Post, Instance(ids[0]) + "/resume?reason=go", SystemKey)).StatusCode);
        await WaitFor(ids[0], "Running", "Completed");
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Post, Instance(ids[1]) + "/raiseEvent/Nudge", SystemKey, "{\"x\": 1}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, Instance(ids[1]) + "/raiseEvent/Nudge", SystemKey, "{oops")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Post, Instance("no-such-id") + "/raiseEvent/Nudge", SystemKey)).StatusCode);
        foreach (var id in ids)
        {
            await Send(HttpMethod.Post, Instance(id) + "/terminate?reason=test", SystemKey);
        }
        foreach (var id in ids)
        {
            await WaitFor(id, "Terminated", "Completed");
        }
        var terminated = (await (await Send(HttpMethod.Get, Instance(ids[2]), SystemKey)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Terminated", terminated["runtimeStatus"]!.GetValue<string>());

        // Pages of one, following the continuation token, list every instance once.
        var seen = new List<string>();
        string? token = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/runtime/webhooks/durabletask/instances?top=1&instanceIdPrefix=run-&runtimeStatus=Terminated,Completed");
            request.Headers.Add("x-functions-key", SystemKey);
            if (token is not null)
            {
                request.Headers.Add("x-ms-continuation-token", token);
            }
            var page = await http.SendAsync(request);
            var items = (await page.Content.ReadFromJsonAsync<JsonArray>())!;
            Assert.True(items.Count <= 1);
            seen.AddRange(items.Select(i => i!["instanceId"]!.GetValue<string>()));
            token = page.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.Single() : null;
        }
        while (token is not null);
        Assert.Equal(ids.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        // A token this host did not issue is refused, not answered with an empty page.
        using (var forged = new HttpRequestMessage(HttpMethod.Get, "/runtime/webhooks/durabletask/instances?top=1"))
        {
            forged.Headers.Add("x-functions-key", SystemKey);
            forged.Headers.Add("x-ms-continuation-token", "garbage-token");
            var refusedPage = await http.SendAsync(forged);
            Assert.Equal(HttpStatusCode.BadRequest, refusedPage.StatusCode);
            Assert.Contains("x-ms-continuation-token", (await refusedPage.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Get, "/runtime/webhooks/durabletask/instances?runtimeStatus=Sleeping", SystemKey)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Get, "/runtime/webhooks/durabletask/instances?createdTimeFrom=yesterday", SystemKey)).StatusCode);

        var purged = await Send(HttpMethod.Delete, "/runtime/webhooks/durabletask/instances?runtimeStatus=Terminated,Completed", SystemKey);
        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Equal(3, (await purged.Content.ReadFromJsonAsync<JsonObject>())!["instancesDeleted"]!.GetValue<int>());
        // A filter that matches nothing is a 404. (Not a second purge of the same instances: a terminated instance's
        // late activity result can bring its row back for a moment, as on any DTFx Azure Storage hub.)
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Delete, "/runtime/webhooks/durabletask/instances?runtimeStatus=Terminated&createdTimeTo=2001-01-01T00:00:00Z", SystemKey)).StatusCode);
    }

    [Fact]
    public async Task Start_BadData_TheStatusNamesTheFileLineAndColumn_WithoutAStackTrace()
    {
        var bad = Path.Combine(work, "bad");
        Directory.CreateDirectory(bad);
        foreach (var file in Directory.GetFiles(Data))
        {
            File.Copy(file, Path.Combine(bad, Path.GetFileName(file)));
        }
        var path = Path.Combine(bad, "transactions_train.csv");
        var lines = File.ReadAllLines(path);
        lines[10] = lines[10][..^1] + "9";
        File.WriteAllLines(path, lines);

        var started = await Send(HttpMethod.Post, "/api/pipelines", FunctionKey, JsonSerializer.Serialize(new { data = bad, TwoTower = new { Enabled = false } }));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await WaitFor(id, "Failed");
        var status = (await (await Send(HttpMethod.Get, $"/runtime/webhooks/durabletask/instances/{id}", SystemKey)).Content.ReadFromJsonAsync<JsonObject>())!;
        var output = status["output"]!.GetValue<string>();
        Assert.Contains("transactions_train.csv, line 11, column 'sales_channel_id'", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartPipeline_PathsOutsideTheRoots_OneMessageWhetherOrNotTheyExist_EvenThroughALink()
    {
        // A link inside a root that leads outside it is outside; so is a path that climbs out with '..'.
        var link = Path.Combine(work, "link-to-etc");
        File.CreateSymbolicLink(link, "/etc");
        foreach (var path in new[] { link, Path.Combine(work, "..", "..", "etc"), "/etc/passwd", "/etc/no-such-file" })
        {
            var response = await Send(HttpMethod.Post, "/api/pipelines", FunctionKey, JsonSerializer.Serialize(new { data = path }));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>();
            Assert.Equal($"data: '{path}' is not under the folders this host reads data from (the setting HMREC_DATA_ROOTS).", error);
        }
        Assert.False(Directory.Exists(Path.Combine(work, "store", "runs")) && Directory.GetDirectories(Path.Combine(work, "store", "runs")).Length > 0);
    }

    [Fact]
    public async Task StartPipeline_OverTheLimits_429ForRunsInProgress_413ForABodyTooLarge_NamingTheLimit()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var started = await Send(HttpMethod.Post, "/api/pipelines", FunctionKey, Body());
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            ids.Add((await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        }
        var refused = await Send(HttpMethod.Post, "/api/pipelines", FunctionKey, Body());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("HMREC_MAX_RUNS_IN_PROGRESS = 3", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        var large = await Send(HttpMethod.Post, "/api/pipelines", FunctionKey, JsonSerializer.Serialize(new { data = new string('x', 100_000) }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("65,536 bytes", (await large.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        foreach (var id in ids)
        {
            await Send(HttpMethod.Post, $"/runtime/webhooks/durabletask/instances/{id}/terminate?reason=test", SystemKey);
        }
        foreach (var id in ids)
        {
            await WaitFor(id, "Terminated", "Completed");
        }
        Assert.Equal(HttpStatusCode.Accepted, (await Send(HttpMethod.Post, "/api/pipelines", FunctionKey, Body())).StatusCode);
    }

    private string Body() => JsonSerializer.Serialize(new
    {
        data = Data,
        Shards = 2,
        Training = new { MaxRounds = 10 },
        TwoTower = new { Enabled = false },
    });

    private async Task WaitFor(string id, params string[] statuses)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var status = (await (await Send(HttpMethod.Get, $"/runtime/webhooks/durabletask/instances/{id}", SystemKey)).Content.ReadFromJsonAsync<JsonObject>(deadline.Token))!;
            if (statuses.Contains(status["runtimeStatus"]!.GetValue<string>()))
            {
                return;
            }
            await Task.Delay(50, deadline.Token);
        }
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string key, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-functions-key", key);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return http.SendAsync(request);
    }
}
