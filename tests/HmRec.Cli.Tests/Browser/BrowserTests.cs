using PuppeteerSharp;

namespace HmRec.Cli.Tests.Browser;

/// <summary>
/// The run report and the monitor page in headless Chromium (Debian's, installed by <c>make setup</c>), against a
/// real <c>hmrec serve</c> host on a loopback port that has run a small pipeline. (The README's screenshots come from
/// <c>make run</c>'s own run: bench/screenshots.sh.)
/// </summary>
public sealed class BrowserTests(ServedRunFixture run) : IClassFixture<ServedRunFixture>
{
    [Fact]
    public async Task Report_FinishedRun_LoadsWithoutConsoleErrorsAndDrawsEveryChart()
    {
        await using var browser = await Chromium.LaunchAsync();
        var (page, errors) = await Chromium.OpenAsync(browser, new Uri(run.Host.BaseAddress, $"/api/runs/{run.RunId}/report?code={ServedRunFixture.FunctionKey}"));

        var charts = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('canvas')].map(c => c.id)");
        Assert.Equal(["chart-models", "chart-recall", "chart-recall-at", "chart-rounds", "chart-epochs", "chart-importance", "chart-timeline"], charts);
        foreach (var id in charts)
        {
            Assert.True(await Chromium.IsDrawnAsync(page, id), $"{id} is blank");
        }
        // The data behind the charts is this run's: every model of the metrics table is a bar, the rule marked.
        var labels = await page.EvaluateExpressionAsync<string[]>("Chart.getChart(document.getElementById('chart-models')).data.labels");
        Assert.Contains("baseline_recent_then_top12 (the rule)", labels);
        Assert.Contains("lgb_lambdarank", labels);
        Assert.Contains("two_tower", labels);
        var stages = await page.EvaluateExpressionAsync<string[]>("Chart.getChart(document.getElementById('chart-timeline')).data.labels");
        Assert.Equal(["ingest", "text vectors", "recall global", "recall", "merge", "features", "recall report", "baselines", "training", "evaluation", "submission", "promotion"], stages);
        Assert.Contains(run.RunId, await page.EvaluateExpressionAsync<string>("document.getElementById('submission').textContent"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Report_OpensWithAHeadline_ASortableTableOfNumbers_TheOptionsThatDiffer_AndTheSubmission()
    {
        await using var browser = await Chromium.LaunchAsync();
        var (page, errors) = await Chromium.OpenAsync(browser, new Uri(run.Host.BaseAddress, $"/api/runs/{run.RunId}/report?code={ServedRunFixture.FunctionKey}"));

        // The headline comes first: the best model, its MAP@12 and its ratio to the rule, and the candidates' ceiling.
        var headline = await page.EvaluateExpressionAsync<string>("document.querySelector('section').id + ': ' + document.getElementById('headline').textContent.trim()");
        Assert.Matches(@"^headline: Best model: \S+, MAP@12 0\.\d{4}, \d+\.\d\dx the simple rule's 0\.\d{4} on the validation week\.", headline);
        Assert.Contains("the ceiling of any ranker's recall", headline);

        // The table: every model with numbers, the rule marked, best first, the best of each column in bold.
        var rows = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#metrics-table tbody tr')].map(r => r.dataset.model)");
        Assert.Equal(12, rows.Length);
        Assert.Equal("baseline_recent_then_top12", await page.EvaluateExpressionAsync<string>("document.querySelector('#metrics-table tr.rule').dataset.model"));
        Assert.Equal("1.00", await page.EvaluateExpressionAsync<string>("document.querySelector('#metrics-table tr.rule').cells[3].textContent"));
        var maps = await page.EvaluateExpressionAsync<double[]>("[...document.querySelectorAll('#metrics-table tbody tr')].map(r => parseFloat(r.cells[2].dataset.value))");
        Assert.Equal(maps.OrderByDescending(m => m), maps);
        Assert.Equal(6, await page.EvaluateExpressionAsync<int>("new Set([...document.querySelectorAll('#metrics-table tbody strong')].map(s => s.parentElement.cellIndex)).size"));
        // A click on a heading sorts by it (highest first), a second click the other way.
        await page.ClickAsync("#metrics-table th:nth-child(3)");
        await page.ClickAsync("#metrics-table th:nth-child(3)");
        var ascending = await page.EvaluateExpressionAsync<double[]>("[...document.querySelectorAll('#metrics-table tbody tr')].map(r => parseFloat(r.cells[2].dataset.value))");
        Assert.Equal(maps.Order(), ascending);
        await page.ClickAsync("#metrics-table th:nth-child(1)");
        var names = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#metrics-table tbody tr')].map(r => r.dataset.model)");
        Assert.Equal(names.OrderByDescending(n => n, StringComparer.Ordinal), names);

        // The features chart has a row per feature, tall enough for every full label.
        var (features, height) = (await page.EvaluateExpressionAsync<int>("Chart.getChart(document.getElementById('chart-importance')).data.labels.length"),
            await page.EvaluateExpressionAsync<int>("document.getElementById('chart-importance').parentElement.clientHeight"));
        Assert.True(height >= 20 * features, $"{features} features in {height}px");

        // Options: what differs from the defaults, as a table; the whole file folded away.
        var options = await page.EvaluateExpressionAsync<string>("document.getElementById('options-table').textContent");
        Assert.Contains("Training.MaxRounds", options);
        Assert.Contains("Shards", options);
        Assert.DoesNotContain("Recall.Repurchase.TopN", options);
        Assert.False(await page.EvaluateExpressionAsync<bool>("document.querySelector('#options details').open"));

        // The submission: a link that downloads it from the host, with the same key.
        var href = await page.EvaluateExpressionAsync<string>("document.getElementById('submission-link').href");
        Assert.EndsWith($"/api/runs/{run.RunId}/submission.csv?code={ServedRunFixture.FunctionKey}", href, StringComparison.Ordinal);
        using var http = new HttpClient();
        var csv = await http.GetStringAsync(href);
        Assert.StartsWith("customer_id,prediction", csv, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Monitor_WrongKeyRefused_RightKeyListsTheRun_TerminateFromThePageEndsARunningOne()
    {
        await using var browser = await Chromium.LaunchAsync();
        var (page, errors) = await Chromium.OpenAsync(browser, new Uri(run.Host.BaseAddress, MonitorPage.Path));
        Assert.DoesNotContain("key", page.Url, StringComparison.OrdinalIgnoreCase);

        // A wrong key: refused, back to the key form with the reason.
        await page.TypeAsync("#key", "not-the-system-key-at-all");
        await page.ClickAsync("#login-form button");
        await page.WaitForFunctionAsync("() => document.getElementById('login-error').textContent.includes('refused')");
        Assert.False(await page.EvaluateExpressionAsync<bool>("document.getElementById('list').hidden === false"));
        errors.Clear(); // the browser logs the refused (401) request as an error; that one is expected

        // The system key: the finished run is listed with its status and stage; the key is in session storage, not the URL.
        await page.TypeAsync("#key", ServedRunFixture.SystemKey);
        await page.ClickAsync("#login-form button");
        await page.WaitForSelectorAsync($"tr[data-instance='{run.RunId}']");
        var row = await page.EvaluateExpressionAsync<string>($"document.querySelector(\"tr[data-instance='{run.RunId}']\").textContent");
        Assert.Contains("Completed", row, StringComparison.Ordinal);
        Assert.True(row.Contains("done", StringComparison.Ordinal), row);
        Assert.DoesNotContain(ServedRunFixture.SystemKey, page.Url, StringComparison.Ordinal);

        // The filters: an id prefix that matches nothing empties the list.
        await page.TypeAsync("#f-prefix", "no-such-prefix");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForFunctionAsync($"() => !document.querySelector(\"tr[data-instance='{run.RunId}']\")");
        await page.EvaluateExpressionAsync("document.getElementById('f-prefix').value = ''");

        // The finished run's own view: its status and the activity timeline, drawn.
        await page.EvaluateExpressionAsync($"location.hash = '#/instances/{run.RunId}'");
        await page.WaitForFunctionAsync("() => document.getElementById('i-summary').textContent.includes('Completed')");
        await page.WaitForFunctionAsync("() => !!Chart.getChart(document.getElementById('i-timeline'))");
        Assert.True(await Chromium.IsDrawnAsync(page, "i-timeline"), "the instance's timeline is blank");
        // Its report and submission, linked; only what an ended instance allows (purge); its stages, all done, with seconds.
        var visible = "[...document.querySelectorAll('[data-action]')].filter(b => !b.hidden).map(b => b.dataset.action)";
        Assert.Equal(["purge"], await page.EvaluateExpressionAsync<string[]>(visible));
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('raise-form').hidden && getComputedStyle(document.getElementById('raise-form')).display === 'none'"));
        using (var http = new HttpClient())
        {
            var report = await http.GetAsync(await page.EvaluateExpressionAsync<string>("document.getElementById('i-report').href"));
            Assert.Equal(System.Net.HttpStatusCode.OK, report.StatusCode);
            Assert.Contains("metrics-table", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var csv = await http.GetStringAsync(await page.EvaluateExpressionAsync<string>("document.getElementById('i-submission').href"));
            Assert.StartsWith("customer_id,prediction", csv, StringComparison.Ordinal);
        }
        var states = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#i-stages tbody tr')].map(r => r.dataset.stage + ':' + r.cells[1].textContent)");
        Assert.All(states, s => Assert.EndsWith(":done", s, StringComparison.Ordinal));
        Assert.Contains("recall:done", states);
        Assert.Matches(@"^\d+\.\d$", await page.EvaluateExpressionAsync<string>("document.querySelector(\"#i-stages tr[data-stage='recall']\").cells[3].textContent"));

        // A running instance: it can be terminated or suspended, not purged; its stages show where it is; terminated from the page.
        var running = await run.StartAsync();
        await page.EvaluateExpressionAsync($"location.hash = '#/instances/{running}'");
        await page.WaitForFunctionAsync("() => /Running|Pending/.test(document.getElementById('i-summary').textContent)");
        Assert.Equal(["terminate", "suspend"], await page.EvaluateExpressionAsync<string[]>(visible));
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('i-links').hidden"));
        Assert.Contains(await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#i-stages tbody tr')].map(r => r.cells[1].textContent)"), s => s is "running" or "waiting");
        await page.ClickAsync("button[data-action=terminate]");
        await page.WaitForFunctionAsync("() => document.getElementById('i-action-result').textContent.includes('accepted')");
        Assert.Equal("Terminated", await run.WaitForEndAsync(running));
        await page.WaitForFunctionAsync("() => document.getElementById('i-summary').textContent.includes('Terminated')", new WaitForFunctionOptions { Timeout = 30_000 });
        Assert.Empty(errors);
    }
}

/// <summary>A host with known keys on a fresh store that has run one small pipeline (the network included) to completion.</summary>
public sealed class ServedRunFixture : IAsyncLifetime
{
    public const string FunctionKey = "browser-function-key-000001";
    public const string SystemKey = "browser-system-key-0000000001";

    private readonly TempFolder work = new("browser");
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };

    internal HttpHost Host { get; private set; } = null!;

    public string RunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(work);
        SyntheticDataGenerator.Generate(new SyntheticOptions(300, 120, Seed: 5), Path.Combine(work, "data"));
        var settings = new HostSettings(new DurableTaskOptions(), new AppSettings { FunctionKey = FunctionKey, SystemKey = SystemKey });
        Host = await HttpHost.StartAsync(settings, Path.Combine(work, "store"), ["http://127.0.0.1:0"], dataRoots: [Path.Combine(work, "data")]);
        http.BaseAddress = Host.BaseAddress;
        RunId = await StartAsync(twoTower: true);
        var status = await WaitForEndAsync(RunId, TimeSpan.FromMinutes(5));
        if (status != "Completed")
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{ManagementApi.Prefix}/instances/{RunId}");
            request.Headers.Add(FunctionKeys.Header, SystemKey);
            Assert.Fail($"the fixture's run ended {status}: {await (await http.SendAsync(request)).Content.ReadAsStringAsync()}");
        }
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await Host.StopAsync(TimeSpan.FromSeconds(30));
        await Host.DisposeAsync();
        work.Dispose();
    }

    /// <summary>Starts a pipeline over HTTP and returns its instance id.</summary>
    public async Task<string> StartAsync(bool twoTower = false)
    {
        var body = JsonSerializer.Serialize(new
        {
            data = Path.Combine(work, "data"),
            Shards = 2,
            Training = new { MaxRounds = 10 },
            TwoTower = new { Enabled = twoTower, MaxEpochs = 2, PollSeconds = 1 },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pipelines") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(FunctionKeys.Header, FunctionKey);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>Polls the management API until the instance has ended; returns its status.</summary>
    public async Task<string> WaitForEndAsync(string id, TimeSpan? limit = null)
    {
        using var deadline = new CancellationTokenSource(limit ?? TimeSpan.FromMinutes(1));
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{ManagementApi.Prefix}/instances/{id}");
            request.Headers.Add(FunctionKeys.Header, SystemKey);
            var status = (await (await http.SendAsync(request, deadline.Token)).Content.ReadFromJsonAsync<JsonObject>(deadline.Token))!["runtimeStatus"]!.GetValue<string>();
            if (status is "Completed" or "Failed" or "Terminated")
            {
                return status;
            }
            await Task.Delay(200, deadline.Token);
        }
    }
}

/// <summary>Debian's Chromium, headless, through PuppeteerSharp.</summary>
internal static class Chromium
{
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

    public static Task<IBrowser> LaunchAsync()
    {
        var executable = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: run 'make setup' (it installs Debian's chromium for the browser tests).");
        return Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // The tests may run as root, where Chromium's sandbox cannot start; the pages are our own, on loopback.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            DefaultViewport = new ViewPortOptions { Width = 1280, Height = 900 },
        });
    }

    /// <summary>Opens <paramref name="url"/> in a new page and collects every console error and uncaught exception from then on.</summary>
    public static async Task<(IPage Page, List<string> Errors)> OpenAsync(IBrowser browser, Uri url)
    {
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                lock (errors)
                {
                    errors.Add(e.Message.Text);
                }
            }
        };
        page.PageError += (_, e) =>
        {
            lock (errors)
            {
                errors.Add(e.Message);
            }
        };
        var response = await page.GoToAsync(url.ToString(), WaitUntilNavigation.Load);
        Assert.True(response.Ok, $"{url} answered {response.Status}");
        return (page, errors);
    }

    /// <summary>Whether the canvas has a Chart.js chart and any pixel drawn.</summary>
    public static Task<bool> IsDrawnAsync(IPage page, string canvasId) => page.EvaluateExpressionAsync<bool>($$"""
        (() => {
          const c = document.getElementById('{{canvasId}}');
          if (!c || !Chart.getChart(c) || c.width === 0 || c.height === 0) return false;
          const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
          return false;
        })()
        """);
}
