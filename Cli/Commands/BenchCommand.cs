namespace HmRec.Cli.Commands;

/// <summary>
/// <c>hmrec bench durable</c>: one durable scenario on a fresh task hub (its own embedded Azurite), timed end to end;
/// <c>hmrec bench http</c>: see <see cref="HttpBench"/>; <c>hmrec bench serving</c>: see <see cref="ServingBench"/>.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = "fanout: N no-op activities in parallel; chain: N in sequence; concurrent: M orchestrations of N sequential activities each.", Required = true };
        scenario.AcceptOnlyFromAmong("fanout", "chain", "concurrent");
        var n = new Option<int>("--n") { Description = "Activities (per orchestration for 'concurrent').", DefaultValueFactory = _ => 1000 };
        var m = new Option<int>("--m") { Description = "Orchestrations for 'concurrent'.", DefaultValueFactory = _ => 100 };
        var dir = new Option<DirectoryInfo>("--work") { Description = "Folder for the scenario's Azurite.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Path.GetTempPath(), "hmrec-bench")) };
        var durable = new Command("durable", "Time a durable-engine scenario.") { scenario, n, m, dir };
        durable.SetAction(async (parse, token) => await RunAsync(parse.GetValue(scenario)!, parse.GetValue(n), parse.GetValue(m), parse.GetValue(dir)!.FullName, token));
        var starts = new Option<int>("--starts") { Description = "Concurrent pipeline starts.", DefaultValueFactory = _ => 50 };
        var status = new Option<int>("--status") { Description = "Status requests after the starts.", DefaultValueFactory = _ => 2000 };
        foreach (var count in new[] { n, m, starts, status })
        {
            AtLeastOne(count);
        }
        var http = new Command("http", "A small load test of the HTTP API: concurrent starts, then status requests, over a real socket.") { starts, status, dir };
        http.SetAction(async (parse, token) => await HttpBench.RunAsync(parse.GetValue(starts), parse.GetValue(status), parse.GetValue(dir)!.FullName, token));
        var customers = new Option<int>("--customers") { Description = "Customers in the champion's submission.", DefaultValueFactory = _ => SyntheticOptions.Full.Customers };
        var requests = new Option<int>("--requests") { Description = "Single lookups, one at a time (and a hundredth as many batches of 100).", DefaultValueFactory = _ => 10_000 };
        AtLeastOne(customers);
        AtLeastOne(requests);
        var serving = new Command("serving", "The recommendations routes on a champion of the given size: index load time and memory, then request latencies over a real socket.") { customers, requests, dir };
        serving.SetAction(async (parse, token) => await ServingBench.RunAsync(parse.GetValue(customers), parse.GetValue(requests), parse.GetValue(dir)!.FullName, token));
        return new Command("bench", "Benchmarks.") { durable, http, serving };
    }

    /// <summary>A count must be 1 or more: a usage error (exit code 2) otherwise, before anything starts.</summary>
    private static void AtLeastOne(Option<int> option) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() < 1)
        {
            result.AddError($"{option.Name} must be 1 or more (got {result.GetValueOrDefault<int>()}).");
        }
    });

    private static async Task<int> RunAsync(string scenario, int n, int m, string work, CancellationToken token)
    {
        var store = Path.Combine(work, $"bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(store);
        var settings = (CliSettings.Load() ?? throw new ArgumentException("bad settings")).DurableTask;
        using var loggers = ConsoleErrorLogger.Factory();
        // A fresh embedded Azurite per scenario, so earlier scenarios' queues and tables do not weigh on it.
        var host = await DurableHost.OpenAsync(settings, connectionString: null, store, loggers, token);
        try
        {
            var client = host.Client;
            await host.StartWorkerAsync(registry => registry
                .AddActivityFunc<int, int>("Noop", (_, x) => Task.FromResult(x))
                .AddOrchestratorFunc<int, long>("FanOut", async (ctx, count) =>
                    (await Task.WhenAll(Enumerable.Range(0, count).Select(i => ctx.CallActivityAsync<int>("Noop", i)))).Sum(x => (long)x))
                .AddOrchestratorFunc<int, long>("Chain", async (ctx, count) =>
                {
                    long sum = 0;
                    for (var i = 0; i < count; i++)
                    {
                        sum += await ctx.CallActivityAsync<int>("Noop", i);
                    }
                    return sum;
                }), cancellationToken: token);
            var clock = Stopwatch.StartNew();
            var ids = new List<string>();
            var (name, instances) = scenario switch
            {
                "fanout" => ("FanOut", 1),
                "chain" => ("Chain", 1),
                _ => ("Chain", m),
            };
            for (var i = 0; i < instances; i++)
            {
                ids.Add(await client.ScheduleNewOrchestrationInstanceAsync(name, n, cancellation: token));
            }
            foreach (var id in ids)
            {
                var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, token);
                if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed || done.ReadOutputAs<long>() != (long)n * (n - 1) / 2)
                {
                    Console.Error.WriteLine($"error: {id} ended {done.RuntimeStatus} with {done.SerializedOutput}");
                    return 1;
                }
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var activities = (long)n * instances;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scenario={scenario} orchestrations={instances} activities={activities} seconds={seconds:F2} activities_per_second={activities / seconds:F0} peak_rss_mib={PeakMemory.Bytes() / (1024 * 1024)}"));
            return 0;
        }
        finally
        {
            await host.CloseAsync();
            Directory.Delete(store, recursive: true);
        }
    }
}
