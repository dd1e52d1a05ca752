using System.Net.Http.Json;
using System.Text;

namespace HmRec.Cli.Commands;

/// <summary>
/// <c>hmrec bench http</c>: a small load test of the HTTP API over a real socket. A host on a free loopback
/// port (fresh store, a small generated dataset) takes <c>starts</c> concurrent <c>POST /api/pipelines</c>,
/// then <c>status</c> status requests (32 at a time) spread over those instances while their pipelines
/// run; then every instance is listed page by page (none may be missing) and terminated.
/// </summary>
internal static class HttpBench
{
    public static async Task<int> RunAsync(int starts, int statusRequests, string work, CancellationToken token)
    {
        var store = Path.Combine(work, $"http-{Guid.NewGuid():N}");
        var data = Path.Combine(store, "data");
        SyntheticDataGenerator.Generate(new SyntheticOptions(300, 120, Seed: 3), data);
        const string key = "bench-key-0123456789abcdef";
        var settings = new HostSettings(new DurableTaskOptions(), new AppSettings { FunctionKey = key, SystemKey = key });
        try
        {
            await using var host = await HttpHost.StartAsync(settings, store, ["http://127.0.0.1:0"]);
            using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
            http.DefaultRequestHeaders.Add(FunctionKeys.Header, key);
            var body = JsonSerializer.Serialize(new { data, Shards = 2, Training = new { MaxRounds = 5 }, TwoTower = new { Enabled = false } });
            var errors = 0;

            var clock = Stopwatch.StartNew();
            var started = await Task.WhenAll(Enumerable.Range(0, starts).Select(async _ =>
            {
                var response = await http.PostAsync("/api/pipelines", new StringContent(body, Encoding.UTF8, "application/json"), token);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref errors);
                    return null;
                }
                return (await response.Content.ReadFromJsonAsync<JsonObject>(token))!["id"]!.GetValue<string>();
            }));
            var startSeconds = clock.Elapsed.TotalSeconds;
            var ids = started.OfType<string>().ToList();

            var latencies = new double[statusRequests];
            clock.Restart();
            await Parallel.ForAsync(0, statusRequests, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = token }, async (i, ct) =>
            {
                var request = Stopwatch.StartNew();
                var response = await http.GetAsync($"/runtime/webhooks/durabletask/instances/{ids[i % ids.Count]}?showInput=false", ct);
                latencies[i] = request.Elapsed.TotalMilliseconds;
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
                {
                    Interlocked.Increment(ref errors);
                }
                await response.Content.ReadAsByteArrayAsync(ct);
            });
            var statusSeconds = clock.Elapsed.TotalSeconds;

            var listed = new HashSet<string>(StringComparer.Ordinal);
            string? continuation = null;
            do
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/runtime/webhooks/durabletask/instances?top=20");
                if (continuation is not null)
                {
                    request.Headers.Add(ManagementApi.ContinuationHeader, continuation);
                }
                var page = await http.SendAsync(request, token);
                foreach (var item in (await page.Content.ReadFromJsonAsync<JsonArray>(token))!)
                {
                    listed.Add(item!["instanceId"]!.GetValue<string>());
                }
                continuation = page.Headers.TryGetValues(ManagementApi.ContinuationHeader, out var values) ? values.Single() : null;
            }
            while (continuation is not null);
            var lost = ids.Count(id => !listed.Contains(id));
            foreach (var id in ids)
            {
                await http.PostAsync($"/runtime/webhooks/durabletask/instances/{id}/terminate?reason=bench", null, token);
            }
            await host.StopAsync(TimeSpan.FromSeconds(60));

            Array.Sort(latencies);
            double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"starts={starts} accepted={ids.Count} start_seconds={startSeconds:F2} status_requests={statusRequests} status_seconds={statusSeconds:F2} status_per_second={statusRequests / statusSeconds:F0} p50_ms={P(0.50):F1} p95_ms={P(0.95):F1} p99_ms={P(0.99):F1} errors={errors} lost={lost} peak_rss_mib={PeakMemory.Bytes() / (1024 * 1024)}"));
            return errors == 0 && lost == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(store, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
