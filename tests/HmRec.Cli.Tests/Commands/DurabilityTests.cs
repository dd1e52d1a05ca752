namespace HmRec.Cli.Tests.Commands;

/// <summary>
/// One small dataset and its uninterrupted run (the reference), shared by the durability tests: every other way
/// of running it must write the same metrics.json and submission.csv, byte for byte.
/// </summary>
public sealed class ReferenceRun : IDisposable
{
    public static readonly string[] Options = ["--training-weeks", "1", "--shards", "2", "--max-rounds", "15", "--max-epochs", "2", "--verbose"];

    public ReferenceRun()
    {
        Directory.CreateDirectory(Work);
        var generate = HmRecProcess.Run(Work, "generate", "--customers", "1500", "--articles", "500", "--out", "data");
        Assert.True(generate.ExitCode == 0, generate.Error);
        var run = HmRecProcess.Run(Work, ["run", "--data", "data", "--store", "reference", .. Options]);
        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        (Metrics, Submission) = Results(Path.Combine(Work, "reference"));
    }

    public TempFolder Work { get; } = new("durability");

    public byte[] Metrics { get; }

    public byte[] Submission { get; }

    /// <summary>The metrics and submission of the one run in <paramref name="store"/>.</summary>
    public static (byte[] Metrics, byte[] Submission) Results(string store)
    {
        var run = Directory.GetDirectories(Path.Combine(store, "runs")).Single();
        return (File.ReadAllBytes(Path.Combine(run, "eval", "metrics.json")), File.ReadAllBytes(Path.Combine(run, "submission.csv")));
    }

    public void Dispose()
    {
        foreach (var store in Directory.GetDirectories(Work))
        {
            EmbeddedAzurite.Find(store)?.StopAsync(TimeSpan.FromSeconds(15)).GetAwaiter().GetResult();
        }
        Work.Dispose();
    }
}

/// <summary>
/// Kill any process at any point, start it again, and the run completes with the same result: the host SIGKILLed at
/// random moments, several worker processes on one task hub with one of them killed, and the embedded Azurite killed.
/// </summary>
public sealed class DurabilityTests(ReferenceRun reference) : IClassFixture<ReferenceRun>, IDisposable
{
    private readonly List<Process> started = [];

    private string Work => reference.Work;

    /// <summary>A test that failed half-way may leave its processes running: end them.</summary>
    public void Dispose()
    {
        foreach (var process in started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.Dispose();
        }
    }

    [Fact]
    public async Task Run_SigkilledAtRandomMomentsTenTimes_CompletesWithIdenticalMetricsAndSubmission()
    {
        string[] args = ["run", "--data", "data", "--store", "crash", .. ReferenceRun.Options];
        var random = new Random(20261125);
        var kills = 0;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            // Each attempt lives 1.5-6 s: through start-up, ingest, the fan-outs, training and evaluation as the run moves on.
            var process = Start(args);
            _ = Lines(process);
            _ = process.StandardError.ReadToEndAsync();
            var killAt = TimeSpan.FromMilliseconds(random.Next(1_500, 6_000));
            if (process.WaitForExit(killAt))
            {
                break; // it finished before this kill was due
            }
            process.Kill();
            await process.WaitForExitAsync();
            kills++;
        }
        var last = HmRecProcess.Run(Work, args);
        Assert.True(last.ExitCode == 0, last.Error + last.Out);
        Assert.True(kills >= 10, $"only {kills} kills: the run finished first");
        var (metrics, submission) = ReferenceRun.Results(Path.Combine(Work, "crash"));
        Assert.Equal(reference.Metrics, metrics);
        Assert.Equal(reference.Submission, submission);
    }

    [Fact]
    public async Task Run_WithTwoWorkerProcessesOnTheHub_WorkersAndHostShareActivities_OneKilled_SameResult()
    {
        var first = Start("worker", "--store", "shared");
        var second = Start("worker", "--store", "shared");
        var firstOut = Lines(first);
        var secondOut = Lines(second);
        _ = first.StandardError.ReadToEndAsync();
        _ = second.StandardError.ReadToEndAsync();
        await WaitForAsync(() => firstOut.Any(Started) && secondOut.Any(Started), first, second);

        var run = Start(["run", "--data", "data", "--store", "shared", .. ReferenceRun.Options]);
        var runOut = Lines(run);
        var runErrors = run.StandardError.ReadToEndAsync();
        // The first worker to run an activity is killed in the middle of the run; its work items go to the others.
        await WaitForAsync(() => firstOut.Any(RanOne) || secondOut.Any(RanOne), run);
        var (killed, killedOut, survivor) = firstOut.Any(RanOne) ? (first, firstOut, second) : (second, secondOut, first);
        killed.Kill();
        await killed.WaitForExitAsync();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(run.ExitCode == 0, await runErrors + string.Join('\n', runOut.Snapshot()));
        survivor.Kill();
        await survivor.WaitForExitAsync();

        Assert.True(killedOut.Any(RanOne), "the killed worker ran no activity");
        var ranHere = runOut.Snapshot().Single(l => l.StartsWith("Activities run by this process", StringComparison.Ordinal));
        Assert.DoesNotMatch(@": 0;", ranHere);
        var workerIds = firstOut.Snapshot().Concat(secondOut.Snapshot()).Where(Started).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(2, workerIds.Distinct().Count());
        var (metrics, submission) = ReferenceRun.Results(Path.Combine(Work, "shared"));
        Assert.Equal(reference.Metrics, metrics);
        Assert.Equal(reference.Submission, submission);

        static bool Started(string line) => line.StartsWith("HmRec worker", StringComparison.Ordinal);
        static bool RanOne(string line) => line.StartsWith("activity ", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AzuriteKilled_EndsWithACleanError_AndTheNextRunCompletesTheSame()
    {
        string[] args = ["run", "--data", "data", "--store", "azurite-killed", .. ReferenceRun.Options];
        var run = Start(args);
        var output = Lines(run);
        var errors = run.StandardError.ReadToEndAsync();
        await WaitForAsync(() => output.Any(l => l.Contains("  recall  ", StringComparison.Ordinal)), run);
        var azurite = EmbeddedAzurite.Find(Path.Combine(Work, "azurite-killed"))!;
        using (var p = Process.GetProcessById(azurite.State.Pid))
        {
            p.Kill();
        }
        // It must end, not hang: with a one-line error that says how to go on.
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var error = await errors;
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Run the same command again", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);

        var again = HmRecProcess.Run(Work, args);
        Assert.True(again.ExitCode == 0, again.Error + again.Out);
        var (metrics, submission) = ReferenceRun.Results(Path.Combine(Work, "azurite-killed"));
        Assert.Equal(reference.Metrics, metrics);
        Assert.Equal(reference.Submission, submission);
    }

    [Fact]
    public async Task Run_BesideServeOnOneStore_ServeKeepsItsStorage_ThenReportsItsLoss_AndStopsOnSigterm()
    {
        var store = Path.Combine(Work, "beside-serve");
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        var serve = Start("serve", "--store", store, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var output = Lines(serve);
        await WaitForAsync(() => output.Any(l => l.StartsWith("HmRec host on", StringComparison.Ordinal)), serve);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("api/health")).StatusCode);

        // A run on the same store finds serve's Azurite, and leaves it running when it ends.
        var run = HmRecProcess.Run(Work, ["run", "--data", "data", "--store", "beside-serve", .. ReferenceRun.Options]);
        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.NotNull(EmbeddedAzurite.Find(store));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("api/health")).StatusCode);
        var keys = System.Text.Json.JsonSerializer.Deserialize<HmRec.Cli.Host.FunctionKeys>(await File.ReadAllTextAsync(Path.Combine(store, HmRec.Cli.Host.FunctionKeys.File)))!;
        var runId = Path.GetFileName(Directory.GetDirectories(Path.Combine(store, "runs")).Single());
        var status = await http.GetAsync($"runtime/webhooks/durabletask/instances/{runId}?code={keys.SystemKey}");
        Assert.Equal(System.Net.HttpStatusCode.OK, status.StatusCode);
        Assert.Contains("\"Completed\"", await status.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Its storage goes away: health says so.
        using (var azurite = Process.GetProcessById(EmbeddedAzurite.Find(store)!.State.Pid))
        {
            azurite.Kill();
        }
        var health = await http.GetAsync("api/health");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("unhealthy", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // And SIGTERM still stops it within 30 s.
        var signalled = DateTime.UtcNow;
        using (var kill = Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        await serve.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(45));
        Assert.True(DateTime.UtcNow - signalled < TimeSpan.FromSeconds(30), $"serve took {(DateTime.UtcNow - signalled).TotalSeconds:F0} s to stop");
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Work, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hmrec.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        started.Add(process);
        return process;
    }

    /// <summary>The process's output lines as they come (read in the background).</summary>
    private static OutputLines Lines(Process process) => new(process);

    /// <summary>Waits until <paramref name="condition"/> holds; fails if one of <paramref name="alive"/> ends first or after 3 minutes.</summary>
    private static async Task WaitForAsync(Func<bool> condition, params Process[] alive)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!condition())
        {
            Assert.False(alive.Any(p => p.HasExited), "a process ended before the moment the test waited for");
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }

    /// <summary>A child's standard output, read line by line in the background so the pipe never fills.</summary>
    private sealed class OutputLines
    {
        private readonly List<string> lines = [];

        public OutputLines(Process process) => _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });

        public bool Any(Func<string, bool> predicate)
        {
            lock (lines)
            {
                return lines.Any(predicate);
            }
        }

        public List<string> Snapshot()
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }
}
