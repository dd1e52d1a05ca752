namespace HmRec.Cli.Tests.Commands;

public sealed class CliTests : IDisposable
{
    private readonly TempFolder work = new("cli");

    public CliTests() => Directory.CreateDirectory(work);

    public void Dispose()
    {
        // A killed run leaves its store's Azurite running (on purpose: it must survive the host); stop it.
        foreach (var store in Directory.GetDirectories(work))
        {
            HmRec.Cli.Hosting.EmbeddedAzurite.Find(store)?.StopAsync(TimeSpan.FromSeconds(15)).GetAwaiter().GetResult();
        }
        work.Dispose();
    }

    [Fact]
    public void Run_Twice_GeneratesIngestsThenResumesWithoutRedoingWork()
    {
        var first = HmRecProcess.Run(work, "run", "--customers", "800", "--articles", "300", "--store", "st", "--max-rounds", "30", "--max-epochs", "2", "--verbose");
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        Assert.Contains("Generating 800 customers", first.Out);
        Assert.Contains("validation", first.Out);
        Assert.Contains("Recall on the validation week", first.Out);
        Assert.Contains("merged", first.Out);
        Assert.Contains("MAP@12", first.Out);
        Assert.Contains("baseline_repurchase_then_popular", first.Out);
        Assert.Contains("Submission:", first.Out);
        Assert.Contains("two_tower: trained on cpu", first.Out);
        Assert.True(File.Exists(Path.Combine(Directory.GetDirectories(Path.Combine(work, "st", "runs")).Single(), "eval", "comparison.csv")));
        var runDirectory = Directory.GetDirectories(Path.Combine(work, "st", "runs")).Single();
        Assert.True(File.Exists(Path.Combine(runDirectory, "config.json")));
        Assert.True(File.Exists(Path.Combine(runDirectory, "ingest", "transactions.parquet")));
        // Redirected output: progress lines (no live display), the report's path, the scoring seconds.
        Assert.Contains($"Report: {Path.Combine(runDirectory, "eval", "report.html")}", first.Out);
        Assert.True(File.Exists(Path.Combine(runDirectory, "eval", "report.html")));
        Assert.Contains("Scoring the week after the data", first.Out);
        Assert.DoesNotContain("\u001b[", first.Out);
        // The store's log holds the run's record: each stage once (the orchestrator's logger is replay-safe), each activity's start and end.
        var log = File.ReadAllLines(Path.Combine(work, "st", "logs", "hmrec.log"));
        var runName = Path.GetFileName(runDirectory);
        Assert.Single(log, l => l.Contains($"Run {runName}: stage recall (", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains($"Activity RecallShard of {runName} finished in", StringComparison.Ordinal));
        Assert.Equal(log.Count(l => l.Contains("Activity TrainRanker of", StringComparison.Ordinal) && l.Contains(" started.", StringComparison.Ordinal)),
            log.Count(l => l.Contains("Activity TrainRanker of", StringComparison.Ordinal) && l.Contains(" finished in", StringComparison.Ordinal)));

        var second = HmRecProcess.Run(work, "run", "--customers", "800", "--articles", "300", "--store", "st", "--max-rounds", "30", "--max-epochs", "2");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("generated earlier", second.Out);
        Assert.Contains("completed earlier", second.Out);
        // Without --verbose, a short summary: the stages' seconds, the metrics with the rule marked and the ratio, the paths.
        Assert.Contains("wall s", second.Out);
        Assert.Contains("baseline_recent_then_top12 (the rule)", second.Out);
        Assert.Contains("x rule", second.Out);
        Assert.Contains("Best model ", second.Out);
        Assert.Contains("Submission: ", second.Out);
        Assert.Contains("Report: ", second.Out);
        Assert.DoesNotContain("Recall on the validation week", second.Out);
        Assert.DoesNotContain("MAP@12 cand. users", second.Out);
        Assert.DoesNotContain("activity bin", second.Out);
        Assert.Equal(runDirectory, Directory.GetDirectories(Path.Combine(work, "st", "runs")).Single());

        var runId = Path.GetFileName(runDirectory);
        var list = HmRecProcess.Run(work, "status", "--store", "st");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(runId, list.Out);
        Assert.Contains("Completed", list.Out);
        var one = HmRecProcess.Run(work, "status", "--store", "st", "--id", runId);
        Assert.Equal(0, one.ExitCode);
        Assert.Contains($"{runId}  Pipeline  Completed", one.Out);
        Assert.Contains("stage: done (1/1)", one.Out);
        // A finished run's status: its stages with their seconds, its metrics, and where its report and submission are.
        Assert.Contains("wall s", one.Out);
        Assert.Contains("baseline_recent_then_top12 (the rule)", one.Out);
        Assert.Contains($"Report: {Path.Combine(runDirectory, "eval", "report.html")}", one.Out);
        Assert.Contains(Path.Combine(runDirectory, "submission.csv"), one.Out);
        Assert.Equal(1, HmRecProcess.Run(work, "status", "--store", "st", "--id", "no-such-run").ExitCode);

        // The champion by hand: the run's decision in the history, a promotion whatever its numbers, recommendations as
        // the submission has them (and the cold-start list for a stranger), no rollback past the first champion.
        Assert.Contains("Champion: ", first.Out);
        var history = HmRecProcess.Run(work, "champion", "--store", "st");
        Assert.Equal(0, history.ExitCode);
        Assert.Contains(runId, history.Out);
        var promote = HmRecProcess.Run(work, "champion", "promote", "--id", runId, "--store", "st");
        Assert.True(promote.ExitCode == 0, promote.Error);
        Assert.Contains($"Champion: {runId}", promote.Out);
        var submitted = File.ReadLines(Path.Combine(runDirectory, "submission.csv")).Skip(1).First().Split(',');
        var recommend = HmRecProcess.Run(work, "champion", "recommend", "--customer", submitted[0], "stranger", "--store", "st");
        Assert.Equal(0, recommend.ExitCode);
        Assert.Contains($"{submitted[0]}  {submitted[1]}  (champion)", recommend.Out);
        Assert.Contains("stranger  ", recommend.Out);
        Assert.Contains("(cold start)", recommend.Out);
        var rollback = HmRecProcess.Run(work, "champion", "rollback", "--store", "st");
        Assert.Equal(1, rollback.ExitCode);
        Assert.Contains("none before it", rollback.Error);
        var unknown = HmRecProcess.Run(work, "champion", "promote", "--id", "no-such-run", "--store", "st");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no promotion decision", unknown.Error);
    }

    [Theory]
    [InlineData("{\"recall\": {\"repurchase\": {\"topN\": 0}}}", "Recall.Repurchase.TopN must be between 1 and 1,000 (got 0)")]
    [InlineData("{\"recall\": {\"repurchas\": {}}}", "'repurchas' could not be mapped")]
    [InlineData("{\"recall\": ", "o.json:")]
    [InlineData("{\"data\": \"somewhere\"}", "give the input with --data")]
    public void Run_BadOptionsFile_ExitsTwoNamingTheField_BeforeAnyWork(string json, string expected)
    {
        File.WriteAllText(Path.Combine(work, "o.json"), json);
        var result = HmRecProcess.Run(work, "run", "--store", "st", "--options", "o.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(work, "st", "data")));
    }

    [Fact]
    public async Task Run_KilledDuringIngestRecallAndTraining_ResumesTheSameRunEachTime()
    {
        Assert.Equal(0, HmRecProcess.Run(work, "generate", "--customers", "60000", "--articles", "6000", "--out", "data").ExitCode);
        string[] args = ["run", "--data", "data", "--store", "st", "--training-weeks", "1", "--shards", "2", "--max-rounds", "20", "--max-epochs", "3", "--verbose"];
        // SIGKILL as the ingest activity starts reading (about a second before it writes its manifest here; under load the
        // kill may land later: the run must resume either way).
        await KillWhenOutputShows("    customers (", args);
        var runs = Path.Combine(work, "st", "runs");
        var run = Directory.GetDirectories(runs).Single();
        // A killed ingest leaves nothing under its final name, or everything (then it had finished).
        Assert.True(!Directory.Exists(Path.Combine(run, "ingest")) || File.Exists(Path.Combine(run, "ingest", "manifest.json")));

        await KillWhenOutputShows("  recall  ", args); // and again while recall activities run
        Assert.True(File.Exists(Path.Combine(run, "ingest", "manifest.json")));

        // And once more when the two-tower worker has been started: the worker runs on, and the next host
        // finds it from the task hub and its job file instead of starting it again.
        var job = Path.Combine(run, "models", "two_tower", "job.json");
        await KillWhen(() => File.Exists(job), args);

        var last = HmRecProcess.Run(work, args);
        Assert.True(last.ExitCode == 0, last.Error + last.Out);
        Assert.Contains("was interrupted", last.Out);
        Assert.Contains("Recall on the validation week", last.Out);
        Assert.Equal(run, Directory.GetDirectories(runs).Single());
        Assert.True(File.Exists(Path.Combine(run, "features", "week=1", "shard=1.parquet")));
        Assert.Empty(Directory.GetDirectories(run, "*.tmp-*", SearchOption.AllDirectories));
        var leftovers = Directory.GetFiles(run, "*.tmp-*", SearchOption.AllDirectories);
        Assert.True(leftovers.Length == 0, "temporary files left: " + string.Join(", ", leftovers.Select(f => Path.GetRelativePath(run, f))));
        Assert.Empty(Directory.GetDirectories(run, ".scratch-*", SearchOption.AllDirectories));
        Assert.Contains("two_tower: trained on cpu", last.Out);
        Assert.Contains("\"Attempt\": 1,", File.ReadAllText(job), StringComparison.Ordinal);
    }

    /// <summary>Runs hmrec with <paramref name="args"/> and SIGKILLs it once a line of its output contains <paramref name="text"/>.</summary>
    private Task KillWhenOutputShows(string text, string[] args)
    {
        var seen = false;
        return KillWhen(() => Volatile.Read(ref seen), args, line => seen |= line.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>Runs hmrec with <paramref name="args"/> and SIGKILLs it once <paramref name="condition"/> holds (it must not end first).</summary>
    private async Task KillWhen(Func<bool> condition, string[] args, Action<string>? onLine = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args.Prepend(Path.Combine(AppContext.BaseDirectory, "hmrec.dll")))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var output = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Enqueue(line);
                onLine?.Invoke(line);
            }
        });
        var errors = process.StandardError.ReadToEndAsync();
        while (!condition() && !process.HasExited)
        {
            await Task.Delay(20);
        }
        if (process.HasExited)
        {
            await Task.WhenAll(output, errors);
            Assert.Fail($"the run ended (exit code {process.ExitCode}) before the moment to kill it: {await errors} {string.Join(" | ", lines.TakeLast(8))}");
        }
        process.Kill();
        await process.WaitForExitAsync();
        await Task.WhenAll(output, errors);
    }

    [Fact]
    public void Run_BadData_FailsWithFileLineAndColumn()
    {
        Assert.Equal(0, HmRecProcess.Run(work, "generate", "--customers", "300", "--articles", "100", "--out", "data").ExitCode);
        var path = Path.Combine(work, "data", "articles.csv");
        var lines = File.ReadAllLines(path);
        lines[7] = "notanumber" + lines[7][10..];
        File.WriteAllLines(path, lines);
        var result = HmRecProcess.Run(work, "run", "--data", "data", "--store", "st");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("articles.csv, line 8, column 'article_id'", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        var status = HmRecProcess.Run(work, "status", "--store", "st");
        Assert.Contains("Failed", status.Out);
    }

    [Fact]
    public void Generate_BadSize_ExitsWithMessageNamingTheOption()
    {
        var result = HmRecProcess.Run(work, "generate", "--customers", "3", "--out", "x");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--customers must be between", result.Error);
        Assert.False(Directory.Exists(Path.Combine(work, "x")));
    }

    [Fact]
    public void Ingest_BadFile_ExitsWithFileLineAndColumnAndNoStackTrace()
    {
        Assert.Equal(0, HmRecProcess.Run(work, "generate", "--customers", "300", "--articles", "100", "--out", "data").ExitCode);
        var path = Path.Combine(work, "data", "transactions_train.csv");
        var lines = File.ReadAllLines(path);
        lines[10] = lines[10][..^1] + "9";
        File.WriteAllLines(path, lines);

        var result = HmRecProcess.Run(work, "ingest", "--data", "data", "--out", "parquet");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("transactions_train.csv, line 11, column 'sales_channel_id'", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.False(Directory.Exists(Path.Combine(work, "parquet")));
    }

    [Fact]
    public async Task Run_OnATerminal_DrawsLiveBarsWithTheActivitiesDetail()
    {
        // script(1) gives the run a pseudo-terminal, as a user's shell would; CI variables would make Spectre draw plain text.
        var app = Path.Combine(AppContext.BaseDirectory, "hmrec.dll");
        var start = new System.Diagnostics.ProcessStartInfo("script") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-qec", $"stty cols 200 rows 60; dotnet '{app}' run --customers 800 --articles 300 --store st --max-rounds 30 --no-two-tower", "/dev/null" })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var ci in new[] { "CI", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI", "JENKINS_URL", "TEAMCITY_VERSION", "TRAVIS", "APPVEYOR", "BUILDKITE" })
        {
            start.Environment.Remove(ci);
        }
        start.Environment["TERM"] = "xterm-256color";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        var text = await output;
        Assert.True(process.ExitCode == 0, text);

        Assert.Contains("\u001b[", text);                 // drawn in place, with terminal control sequences
        Assert.Contains("━", text);                        // Spectre's bars
        Assert.Contains("features", text);
        // A ranker's rounds reach the terminal while it trains (which ranker is drawn depends on the refresh's timing).
        Assert.Matches(@"lgb_\w+: round \d+, validation MAP@12", text);
        Assert.Contains("100%", text);
        Assert.Contains("Report: ", text);
    }

    /// <summary>The app's own files and its linux-x64 native libraries, in a folder with no tools/ above it (as an installed hmrec).</summary>
    private string CopyAppOutsideTheCheckout()
    {
        var app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, Path.Combine(app, Path.GetFileName(file)));
        }
        var native = Path.Combine("runtimes", "linux-x64", "native");
        Directory.CreateDirectory(Path.Combine(app, native));
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, native)))
        {
            File.Copy(file, Path.Combine(app, native, Path.GetFileName(file)));
        }
        return Path.Combine(app, "hmrec.dll");
    }

    [Fact]
    public void Ingest_AppCopiedOutsideTheCheckout_RunsWithThePackagedDuckDb()
    {
        var app = CopyAppOutsideTheCheckout();
        var elsewhere = Path.Combine(work, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        Assert.Equal(0, HmRecProcess.Run(elsewhere, "generate", "--customers", "300", "--articles", "100", "--out", "data").ExitCode);

        var result = HmRecProcess.RunApp(app, elsewhere, "ingest", "--data", "data", "--out", "parquet");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.Exists(Path.Combine(elsewhere, "parquet", "transactions.parquet")), result.Out);
    }

    [Fact]
    public void AppOutsideTheCheckout_FindsAzuriteThroughTheSettingOrThePath_AndSaysHowToGetItOtherwise()
    {
        var app = CopyAppOutsideTheCheckout();
        var elsewhere = Path.Combine(work, "elsewhere");
        Directory.CreateDirectory(Path.Combine(elsewhere, "st", "azurite"));
        var checkoutAzurite = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../tools/node_modules/azurite/dist/src/azurite.js"));
        var node = Path.GetDirectoryName(new[] { "/usr/bin/node", "/usr/local/bin/node" }.First(File.Exists))!;
        var bare = $"{node}:/usr/bin:/bin";

        var missing = HmRecProcess.RunApp(app, elsewhere, new Dictionary<string, string> { ["PATH"] = bare }, "status", "--store", "st");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Azurite is not installed: install it with 'npm install -g azurite'", missing.Error);
        Assert.Contains("HMREC_AZURITE", missing.Error);

        var setting = HmRecProcess.RunApp(app, elsewhere, new Dictionary<string, string> { ["PATH"] = bare, ["HMREC_AZURITE"] = checkoutAzurite }, "status", "--store", "st");
        Assert.True(setting.ExitCode == 0, setting.Error);

        // An azurite executable on the PATH, as 'npm install -g azurite' leaves one.
        var bin = Path.Combine(work, "bin");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "azurite"), Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../tools/node_modules/.bin/azurite")));
        var onPath = HmRecProcess.RunApp(app, elsewhere, new Dictionary<string, string> { ["PATH"] = $"{bin}:{bare}" }, "status", "--store", "st");
        Assert.True(onPath.ExitCode == 0, onPath.Error);
    }

    [Fact]
    public void Ingest_NoInputs_ExitsWithUsageMessage()
    {
        var result = HmRecProcess.Run(work, "ingest", "--out", "parquet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--data", result.Error);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "error: Unrecognized command or argument 'frobnicate'.", "See 'hmrec --help'.")]
    [InlineData(new[] { "run", "--bogus" }, "error: Unrecognized command or argument '--bogus'.", "See 'hmrec run --help'.")]
    [InlineData(new[] { "run", "--shards", "four" }, "error: --shards: 'four' is not a whole number.", "See 'hmrec run --help'.")]
    [InlineData(new[] { "run", "--sample-fraction", "half" }, "error: --sample-fraction: 'half' is not a number.", "See 'hmrec run --help'.")]
    [InlineData(new[] { "run", "--data", "data", "--customers", "500" }, "error: --customers sizes the generated dataset; it does not apply with --data.", "See 'hmrec run --help'.")]
    [InlineData(new[] { "bench", "durable", "--scenario", "fanout", "--n", "-5" }, "error: --n must be 1 or more (got -5).", "See 'hmrec bench durable --help'.")]
    public void UsageError_ExitsTwoWithOneLineNamingTheFlag_AndWhereHelpIs(string[] args, string error, string help)
    {
        var result = HmRecProcess.Run(work, args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal([error, help], result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(result.Out); // no help dumped
    }

    [Fact]
    public void Help_IsACommand_AndStatusReadsTheStoreFromTheSettings()
    {
        var help = HmRecProcess.Run(work, "help", "status");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("hmrec status [options]", help.Out);
        // Like serve and worker, status (and run) read HMREC_STORE when --store is not given.
        var store = Path.Combine(work, "elsewhere");
        var status = HmRecProcess.Run(work, new Dictionary<string, string> { ["HMREC_STORE"] = store }, "status");
        Assert.Equal(2, status.ExitCode);
        Assert.Contains($"no task hub in {store}", status.Error);
    }

    [Theory]
    [InlineData("gpu", "HMREC_TWO_TOWER_BACKEND must be process or containerapps (got 'gpu').")]
    [InlineData("containerapps", "HMREC_TWO_TOWER_BACKEND=containerapps needs the runs in blob storage")]
    public void Worker_BadTwoTowerBackend_ExitsWithMessageNamingTheSetting(string backend, string expected)
    {
        var environment = new Dictionary<string, string> { ["HMREC_TWO_TOWER_BACKEND"] = backend };

        var result = HmRecProcess.Run(work, environment, "worker", "--store", "st");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: " + expected, result.Error.Trim(), StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }
}
