using System.Net.Http.Json;
using System.Text;
using HmRec.Activities.Champion;

namespace HmRec.Cli.Commands;

/// <summary>
/// <c>hmrec bench serving</c>: the recommendations routes at a given size. A champion whose submission names
/// <c>customers</c> customers (H&amp;M-style 64-character ids), each with 12 articles of its own, is installed in a fresh
/// store; the index load is timed, then a host on a free loopback port answers <c>requests</c> single lookups one at a
/// time (known and unknown customers) and batches of 100, each timed from the client over a real socket.
/// </summary>
internal static class ServingBench
{
    public static async Task<int> RunAsync(int customers, int requests, string work, CancellationToken token)
    {
        var store = Path.Combine(work, $"serving-{Guid.NewGuid():N}");
        try
        {
            var run = Path.Combine(store, "runs", "run-bench");
            Directory.CreateDirectory(run);
            var random = new Random(7);
            var ids = new string[customers];
            var clock = Stopwatch.StartNew();
            var submission = new RunLayout(run).Submission;
            using (var writer = new StreamWriter(submission))
            {
                writer.Write("customer_id,prediction\n");
                var id = new byte[32];
                for (var c = 0; c < customers; c++)
                {
                    random.NextBytes(id);
                    ids[c] = Convert.ToHexStringLower(id);
                    writer.Write(ids[c]);
                    writer.Write(',');
                    for (var i = 0; i < 12; i++)
                    {
                        writer.Write(random.Next(100_000_000, 960_000_000).ToString("D10", CultureInfo.InvariantCulture));
                        writer.Write(i < 11 ? ' ' : '\n');
                    }
                }
            }
            var submissionMb = new FileInfo(submission).Length / 1e6;
            Console.WriteLine($"Submission of {customers:N0} customers ({submissionMb:F0} MB) written in {clock.Elapsed.TotalSeconds:F1} s.");
            var champion = ChampionStore.In(store);
            champion.Install(run, new ChampionManifest("run-bench", new DateOnly(2020, 9, 22), "lgb_binary", 0, 0, [.. Enumerable.Range(0, 12).Select(i => $"01000000{i:D2}")],
                customers, "bench"), null, null);
            var pointer = champion.Swap("run-bench", "bench", DateTime.UtcNow);

            GC.Collect();
            var before = GC.GetTotalMemory(forceFullCollection: true);
            clock.Restart();
            var index = ChampionIndex.Load(champion, pointer);
            var loadSeconds = clock.Elapsed.TotalSeconds;
            var indexMb = (GC.GetTotalMemory(forceFullCollection: true) - before) / 1e6;
            GC.KeepAlive(index);
            Console.WriteLine($"Index: {index.Customers:N0} customers loaded in {loadSeconds:F1} s, {indexMb:F0} MB of managed memory.");

            const string key = "bench-key-0123456789abcdef";
            var settings = new HostSettings(new DurableTaskOptions(), new AppSettings { FunctionKey = key, SystemKey = key });
            await using var host = await HttpHost.StartAsync(settings, store, ["http://127.0.0.1:0"]);
            using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
            http.DefaultRequestHeaders.Add(FunctionKeys.Header, key);
            clock.Restart();
            var first = await http.GetAsync($"/api/recommendations/{ids[0]}", token);
            first.EnsureSuccessStatusCode();
            var firstMs = clock.Elapsed.TotalMilliseconds;
            Console.WriteLine($"First request (the host loads the index): {firstMs:F0} ms.");

            var single = new double[requests];
            var wrong = 0;
            for (var r = 0; r < requests; r++)
            {
                var known = r % 10 != 9;
                var customer = known ? ids[random.Next(customers)] : $"unknown-{r}";
                var request = Stopwatch.StartNew();
                var body = await http.GetFromJsonAsync<JsonObject>($"/api/recommendations/{customer}", token);
                single[r] = request.Elapsed.TotalMilliseconds;
                if (body!["source"]!.GetValue<string>() != (known ? ChampionIndex.FromChampion : ChampionIndex.ColdStart))
                {
                    wrong++;
                }
            }
            var batches = new double[Math.Max(1, requests / 100)];
            for (var b = 0; b < batches.Length; b++)
            {
                var asked = Enumerable.Range(0, 100).Select(_ => ids[random.Next(customers)]).ToArray();
                var request = Stopwatch.StartNew();
                var response = await http.PostAsync("/api/recommendations", new StringContent(JsonSerializer.Serialize(new { customerIds = asked }), Encoding.UTF8, "application/json"), token);
                await response.Content.ReadAsByteArrayAsync(token);
                batches[b] = request.Elapsed.TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    wrong++;
                }
            }
            await host.StopAsync(TimeSpan.FromSeconds(30));

            static double[] Quantiles(double[] values)
            {
                var sorted = values.Order().ToArray();
                return [.. new[] { 0.5, 0.95, 0.99 }.Select(q => sorted[(int)Math.Min(sorted.Length - 1, Math.Round(q * (sorted.Length - 1)))]), sorted[^1]];
            }
            var (g, p) = (Quantiles(single), Quantiles(batches));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"GET /api/recommendations/{{customerId}}, {requests:N0} one at a time (1 in 10 unknown): p50 {g[0]:F2} ms, p95 {g[1]:F2} ms, p99 {g[2]:F2} ms, max {g[3]:F2} ms."));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"POST /api/recommendations, {batches.Length:N0} batches of 100: p50 {p[0]:F2} ms, p95 {p[1]:F2} ms, p99 {p[2]:F2} ms, max {p[3]:F2} ms."));
            Console.WriteLine(wrong == 0 ? "Every answer was right." : $"{wrong} answers were wrong.");
            // One line for bench/serving.sh.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"customers={customers} load_seconds={loadSeconds:F2} index_mb={indexMb:F0} first_ms={firstMs:F0} get_p50_ms={g[0]:F3} get_p95_ms={g[1]:F3} get_p99_ms={g[2]:F3} get_max_ms={g[3]:F2} batch_p50_ms={p[0]:F3} batch_p99_ms={p[2]:F3} wrong={wrong}"));
            return wrong == 0 ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(store))
            {
                Directory.Delete(store, recursive: true);
            }
        }
    }
}
