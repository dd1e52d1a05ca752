using HmRec.Activities.Evaluation;
using HmRec.Activities.Recall;
using HmRec.Activities.Training;
using HmRec.Activities.Ingest;

namespace HmRec.Cli.Commands;

/// <summary>
/// <c>hmrec run</c>: one pipeline run on the embedded default (a store folder under the current
/// directory, holding the data, the runs and the embedded Azurite of the task hub). The run is a durable orchestration
/// whose id derives from the options and the input, so the same command after a crash or Ctrl+C resumes it.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Folder holding articles.csv, customers.csv and transactions_train.csv; without it a synthetic dataset is generated." };
        var store = new Option<DirectoryInfo?>("--store") { Description = "Folder for the run's data and state (default: HMREC_STORE, else .hmrec)." };
        var fresh = new Option<bool>("--new") { Description = "Start a fresh run even if one with the same config and input exists." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the generated data and the run.", DefaultValueFactory = _ => 42 };
        var customers = new Option<int>("--customers") { Description = "Customers in the generated dataset.", DefaultValueFactory = _ => SyntheticOptions.Default.Customers };
        var articles = new Option<int>("--articles") { Description = "Articles in the generated dataset.", DefaultValueFactory = _ => SyntheticOptions.Default.Articles };
        var profile = new Option<string>("--profile") { Description = "Shape of the generated dataset: hm (the default: sales spread like the real data, repurchases weeks to over a year apart, peaking the same week a year later), long-cycle (most repurchases over 24 weeks apart), realistic (sales spread, repurchases about two months apart) or classic (the original generator: big hits, short repurchase gaps).", DefaultValueFactory = _ => SyntheticProfile.Hm.Name };
        var withheld = new Option<int>("--withheld-weeks") { Description = "Leave the generated data's last N weeks of transactions out: the data as it stood N weeks earlier, every earlier row the same (run with 1, then without it, for two weekly retrains a week apart).", DefaultValueFactory = _ => 0 };
        var optionsFile = new Option<FileInfo?>("--options") { Description = "JSON file of pipeline option overrides, named as in the HTTP starter's body (e.g. {\"recall\": {\"repurchase\": {\"topN\": 40}}}); the flags given override it." };
        var defaults = new PipelineOptions();
        var shards = new Option<int?>("--shards") { Description = "User shards of each week's recall and features (default: one per 25,000 target users of the week, at least one)." };
        var sample = new Option<double>("--sample-fraction") { Description = "Share of users sampled (0, 1].", DefaultValueFactory = _ => defaults.Ingest.SampleFraction };
        var trainingWeeks = new Option<int>("--training-weeks") { Description = "Label weeks before the validation week.", DefaultValueFactory = _ => defaults.Ingest.TrainingWeeks };
        var negatives = new Option<double?>("--negatives-per-positive") { Description = "Negatives kept per positive in training weeks (default 7; 0 keeps all)." };
        var images = new Option<FileInfo?>("--image-embeddings") { Description = "Parquet of article_id and embedding (list of floats) for the image feature." };
        var rounds = new Option<int>("--max-rounds") { Description = "Most boosting rounds per ranker.", DefaultValueFactory = _ => defaults.Training.MaxRounds };
        var memory = new Option<string>("--memory-limit") { Description = "DuckDB's memory budget for the whole process, shared by the activities it runs at once; above it DuckDB spills to disk.", DefaultValueFactory = _ => defaults.Ingest.MemoryLimit };
        var noNetwork = new Option<bool>("--no-two-tower") { Description = "Do not train the two-tower network (the LightGBM rankers and baselines still run)." };
        var device = new Option<string>("--two-tower-device") { Description = "Where the network trains: auto (CUDA when a GPU is present), cpu or cuda.", DefaultValueFactory = _ => defaults.TwoTower.Device };
        var verbose = new Option<bool>("--verbose") { Description = "Print everything: the ingest and recall tables, each stage's rows and activity seconds, the scoring and network details, the durable overhead and the memory by stage (the short summary otherwise; the report has it all)." };
        var epochs = new Option<int>("--max-epochs") { Description = "Most epochs of the two-tower network.", DefaultValueFactory = _ => defaults.TwoTower.MaxEpochs };
        var command = new Command("run", "Run the pipeline to completion on the embedded default, with progress.")
        {
            data, store, fresh, seed, customers, articles, profile, withheld, optionsFile, shards, sample, trainingWeeks, negatives, images, rounds, memory, noNetwork, device, epochs,
            verbose,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            PipelineOptions b;
            SyntheticOptions synthetic;
            // The generator's flags make no sense with the user's own data: refused, not silently ignored.
            if (parse.GetValue(data) is not null && new Option[] { customers, articles, profile, withheld }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } generatorOnly)
            {
                Console.Error.WriteLine($"error: {generatorOnly.Name} sizes the generated dataset; it does not apply with --data.");
                Console.Error.WriteLine("See 'hmrec run --help'.");
                return Task.FromResult(2);
            }
            try
            {
                b = parse.GetValue(optionsFile) is { } file ? LoadOptions(file.FullName) : defaults;
                synthetic = new SyntheticOptions(parse.GetValue(customers), parse.GetValue(articles), Seed: parse.GetValue(seed)).WithProfile(parse.GetValue(profile)!) with
                {
                    WithheldWeeks = parse.GetValue(withheld),
                };
            }
            catch (Exception e) when (e is ArgumentException or JsonException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(2);
            }
            // A flag given on the command line wins over the options file; one left out keeps the file's value.
            T Pick<T>(Option<T> option, T fromFile) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option)! : fromFile;
            var ratio = parse.GetValue(negatives);
            var options = b with
            {
                Seed = Pick(seed, b.Seed),
                Shards = Pick(shards, b.Shards),
                Ingest = b.Ingest with
                {
                    Seed = Pick(seed, b.Ingest.Seed),
                    SampleFraction = Pick(sample, b.Ingest.SampleFraction),
                    TrainingWeeks = Pick(trainingWeeks, b.Ingest.TrainingWeeks),
                    MemoryLimit = Pick(memory, b.Ingest.MemoryLimit),
                },
                Training = b.Training with { MaxRounds = Pick(rounds, b.Training.MaxRounds) },
                TwoTower = b.TwoTower with
                {
                    Enabled = parse.GetResult(noNetwork) is { Implicit: false } ? !parse.GetValue(noNetwork) : b.TwoTower.Enabled,
                    Device = Pick(device, b.TwoTower.Device),
                    MaxEpochs = Pick(epochs, b.TwoTower.MaxEpochs),
                },
                Features = b.Features with
                {
                    NegativesPerPositive = ratio is null ? b.Features.NegativesPerPositive : ratio == 0 ? null : ratio,
                    ImageEmbeddings = parse.GetValue(images)?.FullName ?? b.Features.ImageEmbeddings,
                },
            };
            return RunAsync(parse.GetValue(data)?.FullName, parse.GetValue(store)?.FullName, parse.GetValue(fresh), synthetic, options, cancellationToken, parse.GetValue(verbose));
        });
        return command;
    }

    /// <summary>Pipeline options from a JSON file of overrides (the HTTP starter's body without <c>data</c>).</summary>
    private static PipelineOptions LoadOptions(string path)
    {
        if (!File.Exists(path))
        {
            throw new IOException($"--options: the file '{path}' does not exist.");
        }
        try
        {
            var (options, data) = PipelineStartBody.Parse(File.ReadAllText(path));
            return data is null ? options : throw new ArgumentException($"--options: {path} names 'data'; give the input with --data instead.");
        }
        catch (JsonException e)
        {
            throw new JsonException($"--options: {path}: {e.Message}", e);
        }
    }

    internal static async Task<int> RunAsync(string? dataDirectory, string? storeDirectory, bool fresh, SyntheticOptions synthetic, PipelineOptions options, CancellationToken cancellationToken,
        bool verbose = false)
    {
        try
        {
            options.Validate();
            synthetic.Validate();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        // Bad settings stop the run before any data is generated or read.
        if (CliSettings.Load() is not { } settings)
        {
            return 2;
        }
        var store = storeDirectory ?? Path.GetFullPath(settings.App.Store);

        PipelineRequest request;
        try
        {
            if (dataDirectory is null)
            {
                dataDirectory = RunPreparation.GeneratedData(store, synthetic, Console.WriteLine);
            }
            else
            {
                Console.WriteLine($"Data: {dataDirectory}");
            }
            var run = RunPreparation.Prepare(dataDirectory, store, options,
                fresh ? DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) : null);
            request = new PipelineRequest(run.RunId, run.Inputs, run.RunDirectory, options);
        }
        catch (InputDataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        return await RunOnHubAsync(request, store, settings, verbose, cancellationToken);
    }

    /// <summary>
    /// Runs the pipeline instance <c>runId</c> on the task hub (the store's embedded Azurite, or AzureWebJobsStorage's
    /// account) with a worker in this process: a new instance, or the unfinished one a crash or Ctrl+C left behind,
    /// which resumes where it stopped. Other <c>hmrec worker</c> processes on the same hub share the work.
    /// </summary>
    private static async Task<int> RunOnHubAsync(PipelineRequest request, string store, HostSettings settings, bool verbose, CancellationToken cancellationToken)
    {
        await using var progress = RunProgress.Create();
        // The durable backend's own warnings go to a log in the store (its errors too: a storage outage makes dozens).
        using var loggers = ConsoleErrorLogger.Factory(Path.Combine(store, "logs", "taskhub.log"), ConsoleErrorLogger.HmRecLog(store));
        DurableHost host;
        try
        {
            host = await DurableHost.OpenAsync(settings.DurableTask, settings.App.Storage, store, loggers, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or Azure.RequestFailedException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"error: cannot open the task hub {settings.DurableTask.HubName}: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        var client = host.Client;
        try
        {
            var existing = await client.GetInstanceAsync(request.RunId, getInputsAndOutputs: true, CancellationToken.None);
            if (existing is { RuntimeStatus: OrchestrationRuntimeStatus.Completed })
            {
                Console.WriteLine($"Run {request.RunId} completed earlier ({request.RunDirectory}); nothing to do. Use --new for a fresh run.");
                Report(existing.ReadOutputAs<PipelineResult>()!, verbose, request.RunDirectory);
                return 0;
            }
            if (existing is null || existing.IsCompleted)
            {
                // A failed or terminated run starts again under the same id; finished stages are skipped.
                Console.WriteLine($"Run {request.RunId} in {request.RunDirectory}");
                await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions(request.RunId), CancellationToken.None);
            }
            else
            {
                Console.WriteLine($"Run {request.RunId} was interrupted ({existing.RuntimeStatus}); resuming it from its task hub.");
            }

            var ran = new System.Collections.Concurrent.ConcurrentQueue<(DateTime Start, DateTime End)>();
            var started = DateTime.UtcNow;
            AnalyticsSession.ShareMachine(settings.DurableTask.MaxConcurrentActivityFunctions);
            await host.StartWorkerAsync(registry => PipelineRegistry.Register(registry, new PipelineActivities(new Progress<string>(progress.Detail), client, loggers: loggers)),
                (_, seconds, _) =>
                {
                    var end = DateTime.UtcNow;
                    ran.Enqueue((end - TimeSpan.FromSeconds(seconds), end));
                });
            PipelineStatus? last = null;
            var memory = new StageMemory();
            while (true)
            {
                // The storage must answer: a dead embedded Azurite or an account that does not answer within 60 s
                // (the storage clients retry inside that time) ends the run with an error rather than a hang.
                if (host.Azurite is { IsRunning: false } azurite)
                {
                    throw new StorageLostException($"the embedded Azurite (pid {azurite.State.Pid}) has stopped");
                }
                OrchestrationMetadata? state;
                try
                {
                    state = await client.GetInstanceAsync(request.RunId, getInputsAndOutputs: false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
                }
                catch (TimeoutException)
                {
                    throw new StorageLostException("the task hub's storage did not answer for 60 s");
                }
                if (state?.ReadCustomStatusAs<PipelineStatus>() is { } status && status != last)
                {
                    last = status;
                    progress.Report(status.Stage, status.Done, status.Total);
                }
                memory.Sample(last?.Stage ?? "ingest");
                if (state is { IsCompleted: true })
                {
                    await progress.DisposeAsync();
                    var idle = IdleSeconds(started, DateTime.UtcNow, ran);
                    if (verbose)
                    {
                        var network = request.Options.TwoTower.Enabled ? " (while the two-tower worker trains, no activity runs here)" : "";
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"Activities run by this process ({host.WorkerId}): {ran.Count}; any other workers on the task hub ran the rest. Durable overhead: {idle:F1} s of {(DateTime.UtcNow - started).TotalSeconds:F1} s had no activity running here{network}."));
                    }
                    state = (await client.GetInstanceAsync(request.RunId, getInputsAndOutputs: true, CancellationToken.None))!;
                    if (state.RuntimeStatus == OrchestrationRuntimeStatus.Completed)
                    {
                        JsonFile.Write(Path.Combine(request.RunDirectory, "result.json"), state.ReadOutputAs<PipelineResult>());
                        WriteAtomically(Path.Combine(request.RunDirectory, "memory.csv"), memory.ToCsv());
                    }
                    var code = Finish(state, verbose, request.RunDirectory);
                    if (verbose)
                    {
                        Console.WriteLine($"Peak memory of this process by stage (GiB, resident, native included; runs/{Path.GetFileName(request.RunDirectory)}/memory.csv): {memory.Describe()}.");
                    }
                    return code;
                }
                await Task.Delay(250, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await progress.DisposeAsync();
            Console.Error.WriteLine($"Interrupted. Run the same command again to resume {request.RunId}.");
            return 130;
        }
        catch (Exception e) when (e is StorageLostException or Azure.RequestFailedException)
        {
            // The storage went away mid-run (the embedded Azurite was killed, the network failed): the hub holds the run
            // as far as the storage kept it, and the same command resumes it.
            await progress.DisposeAsync();
            var reason = e is Azure.RequestFailedException r ? $"the task hub's storage failed ({r.Status} {r.ErrorCode}: {r.Message.ReplaceLineEndings(" ")})" : e.Message;
            Console.Error.WriteLine($"error: {reason}. Run the same command again to resume {request.RunId}.");
            return 1;
        }
        finally
        {
            // Closing talks to the storage too: when it is gone, do not wait for it longer than the grace period.
            await Task.WhenAny(host.CloseAsync(TimeSpan.FromSeconds(10)), Task.Delay(TimeSpan.FromSeconds(20), CancellationToken.None));
        }
    }

    /// <summary>Seconds between <paramref name="from"/> and <paramref name="to"/> in which none of <paramref name="intervals"/> ran.</summary>
    internal static double IdleSeconds(DateTime from, DateTime to, IEnumerable<(DateTime Start, DateTime End)> intervals)
    {
        var busy = 0.0;
        var covered = from;
        foreach (var (start, end) in intervals.OrderBy(i => i.Start))
        {
            var s = start > covered ? start : covered;
            if (end > s)
            {
                busy += (end - s).TotalSeconds;
                covered = end;
            }
        }
        return Math.Max(0, (to - from).TotalSeconds - busy);
    }

    /// <summary>The task hub's storage stopped answering during a run.</summary>
    private sealed class StorageLostException(string message) : Exception(message);

    private static int Finish(OrchestrationMetadata state, bool verbose, string runDirectory)
    {
        if (state.RuntimeStatus == OrchestrationRuntimeStatus.Completed)
        {
            Report(state.ReadOutputAs<PipelineResult>()!, verbose, runDirectory);
            return 0;
        }
        Console.Error.WriteLine(UserMessage(state));
        return 1;
    }

    /// <summary>
    /// The one line that tells why an instance ended without completing: the root cause's message alone when the user
    /// caused it (bad data or options: it names the file, line and column), else the root cause's type and message.
    /// </summary>
    internal static string UserMessage(OrchestrationMetadata state)
    {
        var root = state.FailureDetails.Root();
        return root is null
            ? $"error: the run ended {state.RuntimeStatus}."
            : root.ErrorType == typeof(InputDataException).FullName || root.ErrorType == typeof(ArgumentException).FullName
                ? $"error: {root.ErrorMessage}"
                : $"error: the run failed: {root.ErrorType}: {root.ErrorMessage}";
    }

    /// <summary>
    /// A finished run: by default the stages with their seconds, the metrics of every model and the rule, the ratio,
    /// the promotion decision (and, given the run's folder, the store's history of decisions), and where the report and
    /// the submission are; with <paramref name="verbose"/> everything else too.
    /// </summary>
    internal static void Report(PipelineResult result, bool verbose, string? runDirectory = null)
    {
        if (verbose)
        {
            IngestCommand.Print(result.Ingest);
        }
        if (result.Stages is { } stages)
        {
            PrintStages(stages, verbose);
        }
        if (verbose && result.Recall is { } recall)
        {
            PrintRecall(recall);
        }
        if (result.Evaluation is { } evaluation)
        {
            PrintEvaluation(evaluation, result.Models ?? [], verbose);
        }
        if (verbose && result.Ensemble is { } ensemble)
        {
            Console.WriteLine($"Ensemble weights (rank-normalised scores): {ensemble}.");
        }
        if (result.Submission is { } submission)
        {
            Console.WriteLine($"Submission: {submission.Path}: {N(submission.Customers)} customers, {N(submission.RankedByModels)} ranked by {submission.Source}, {N(submission.Fallback)} by {submission.FallbackModel}.");
        }
        if (result.Promotion is { } promotion)
        {
            Console.WriteLine($"Champion: {(promotion.Promoted ? "promoted" : "not promoted")}: {promotion.Reason}");
            if (runDirectory is not null)
            {
                // Every run's decision in this store, so that weekly runs show how quality moves.
                ChampionCommand.WriteHistory(Activities.Champion.ChampionStore.ForRun(runDirectory).History());
            }
        }
        if (result.Report is { } report)
        {
            Console.WriteLine($"Report: {report}");
        }
    }

    /// <summary>The metrics table: every ranker and baseline on the validation week, best MAP@12 first.</summary>
    internal static void PrintEvaluation(EvaluationReport report, IReadOnlyList<ModelSummary> models, bool verbose)
    {
        foreach (var m in models.Where(m => m.NotTrained is not null))
        {
            Console.WriteLine($"{m.Model}: {m.NotTrained}.");
        }
        Console.WriteLine($"Validation week: {N(report.Buyers)} buyers, {N(report.BuyersWithCandidates)} with candidates; the candidates hold {report.CandidateRecall.ToString("P2", CultureInfo.InvariantCulture)} of their purchases (the ceiling of any ranker).");
        var ruleMap = report.Models.FirstOrDefault(m => m.Model == BaselinesActivity.RecentThenTop12)?.AllBuyers.Map12;
        var table = new Table().AddColumn("model").AddColumn("kind").AddColumn(new TableColumn("MAP@12").RightAligned()).AddColumn(new TableColumn("x rule").RightAligned())
            .AddColumn(new TableColumn("P@12").RightAligned()).AddColumn(new TableColumn("R@12").RightAligned()).AddColumn(new TableColumn("NDCG@12").RightAligned());
        if (verbose)
        {
            table.AddColumn(new TableColumn("best/rounds").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned());
        }
        foreach (var m in report.Models)
        {
            var name = m.Model == BaselinesActivity.RecentThenTop12 ? $"{m.Model} (the rule)" : m.Model;
            List<string> row = [name, m.Kind, F(m.AllBuyers.Map12, 5), ruleMap is > 0 ? F(m.AllBuyers.Map12 / ruleMap.Value, 2) : "",
                F(m.AllBuyers.Precision["12"], 4), F(m.AllBuyers.Recall["12"], 4), F(m.AllBuyers.Ndcg["12"], 4)];
            if (verbose)
            {
                var summary = models.FirstOrDefault(x => x.Model == m.Model);
                row.Add(summary is { } s ? $"{s.BestRound}/{s.Rounds}" : "");
                row.Add(summary is { Skipped: false } t ? F(t.Seconds, 0) : "");
            }
            table.AddRow([.. row]);
        }
        AnsiConsole.Write(table);
        if (!verbose)
        {
            BestModel(report);
            return;
        }
        var scored = models.Where(m => m.TestScoringSeconds is not null).ToList();
        if (scored.Count > 0)
        {
            Console.WriteLine("Scoring the week after the data (seconds, of each model's total): "
                + string.Join(", ", scored.Select(m => $"{m.Model} {F(m.TestScoringSeconds!.Value, 1)} ({N(m.TestRows ?? 0)} rows)")) + ".");
        }
        if (models.FirstOrDefault(m => m.Device is not null && m.NotTrained is null) is { } network)
        {
            Console.WriteLine($"{network.Model}: trained on {network.Device}, best epoch {network.BestRound} of {network.Rounds}, {N((long)(network.SamplesPerSecond ?? 0))} samples/s; log in {Path.Combine(network.Directory, ModelFiles.TrainingLog)}.");
        }
        BestModel(report);
        if (report.Models.FirstOrDefault(m => m.Kind == "ranker") is { } ranker && models.FirstOrDefault(m => m.Model == ranker.Model) is { TopFeatures.Count: > 0 } trained)
        {
            Console.WriteLine($"Top features of {trained.Model} (share of total gain): "
                + string.Join(", ", trained.TopFeatures.Select(f => $"{f.Feature} {f.Share.ToString("P1", CultureInfo.InvariantCulture)}")) + ".");
        }
    }

    /// <summary>The best model against the whole-history rule and the best baseline.</summary>
    private static void BestModel(EvaluationReport report)
    {
        var bestRanker = report.Models.FirstOrDefault(m => m.Kind != "baseline");
        var bestBaseline = report.Models.FirstOrDefault(m => m.Kind == "baseline");
        if (bestRanker is not null && bestBaseline is { AllBuyers.Map12: > 0 })
        {
            var rule = report.Models.FirstOrDefault(m => m.Model == BaselinesActivity.RecentThenTop12);
            string Ratio(double map) => (bestRanker.AllBuyers.Map12 / map).ToString("F2", CultureInfo.InvariantCulture);
            var versusRule = rule is { AllBuyers.Map12: > 0 }
                ? $"{Ratio(rule.AllBuyers.Map12)}x the whole-history rule ({rule.Model}: each buyer's past articles, latest first, then last week's 12 best sellers)"
                : "";
            var versusBest = rule?.Model != bestBaseline.Model ? $"{Ratio(bestBaseline.AllBuyers.Map12)}x the best baseline ({bestBaseline.Model})" : "";
            Console.WriteLine($"Best model {bestRanker.Model}: {string.Join("; ", new[] { versusRule, versusBest }.Where(t => t.Length > 0))}.");
        }
    }

    /// <summary>Each stage's activities and seconds; with <paramref name="verbose"/> its skipped activities, rows and activity seconds too.</summary>
    internal static void PrintStages(IReadOnlyList<StageSummary> stages, bool verbose = true)
    {
        var table = new Table().AddColumn("stage").AddColumn(new TableColumn("activities").RightAligned());
        if (verbose)
        {
            table.AddColumn(new TableColumn("skipped").RightAligned()).AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("activity s").RightAligned());
        }
        table.AddColumn(new TableColumn("wall s").RightAligned());
        foreach (var s in stages)
        {
            table.AddRow(verbose
                ? [s.Stage, N(s.Activities), N(s.Skipped), N(s.Rows), F(s.ActivitySeconds, 1), F(s.WallSeconds, 1)]
                : [s.Stage, N(s.Activities), F(s.WallSeconds, 1)]);
        }
        AnsiConsole.Write(table);
    }

    /// <summary>The validation week's recall per strategy, and the merged candidates of every week.</summary>
    internal static void PrintRecall(RecallReport report)
    {
        if (report.Weeks.FirstOrDefault(w => w.Week == 0) is { } validation)
        {
            Console.WriteLine($"Recall on the validation week: {N(validation.Targets)} users bought {N(validation.Labels)} distinct (user, item) pairs.");
            var table = new Table().AddColumn("strategy").AddColumn(new TableColumn("users").RightAligned()).AddColumn(new TableColumn("cand/user").RightAligned())
                .AddColumn(new TableColumn("hits").RightAligned()).AddColumn(new TableColumn("recall").RightAligned()).AddColumn(new TableColumn("hit rate").RightAligned())
                .AddColumn(new TableColumn("unique hits").RightAligned());
            foreach (var r in validation.Rows)
            {
                table.AddRow(r.Strategy, N(r.Users), F(r.CandidatesPerUser, 1), N(r.Hits), r.Recall.ToString("P2", CultureInfo.InvariantCulture),
                    r.HitRate.ToString("P2", CultureInfo.InvariantCulture), r.Strategy == "merged" ? "" : N(r.UniqueHits));
            }
            AnsiConsole.Write(table);
        }
        var weeks = new Table().AddColumn("label week").AddColumn(new TableColumn("users").RightAligned()).AddColumn(new TableColumn("purchases").RightAligned())
            .AddColumn(new TableColumn("cand/user").RightAligned()).AddColumn(new TableColumn("recall").RightAligned());
        foreach (var w in report.Weeks)
        {
            var merged = w.Rows.Single(r => r.Strategy == "merged");
            weeks.AddRow(w.Week == 0 ? "0 (validation)" : N(w.Week), N(w.Targets), N(w.Labels), F(merged.CandidatesPerUser, 1), merged.Recall.ToString("P2", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(weeks);
        foreach (var note in report.Notes)
        {
            Console.WriteLine("Note: " + note);
        }
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double v, int digits) => v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void WriteAtomically(string path, string text) => HmRec.Shared.Data.AtomicFile.WriteAllText(path, text);
}
