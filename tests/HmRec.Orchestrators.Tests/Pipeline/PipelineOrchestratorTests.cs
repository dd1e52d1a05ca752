using HmRec.Activities.Evaluation;
using DurableTask.Core.History;
using HmRec.Shared.Analytics;
using HmRec.Shared.Blob;
using HmRec.Shared.Data;
using HmRec.Shared.Synthetic;

namespace HmRec.Orchestrators.Tests.Pipeline;

/// <summary>The whole pipeline on the task hub of DTFx's Azure Storage backend, on Azurite.</summary>
public sealed class PipelineOrchestratorTests(TaskHubFixture hub) : PipelineHostTests(hub, "pipeline")
{
    protected override void Prepare()
    {
        SyntheticDataGenerator.Generate(new SyntheticOptions(1_000, 400, Seed: 5), Path.Combine(Work, "data"));
    }

    [Fact]
    public async Task Pipeline_GeneratedData_IngestsThroughTheEngine_AndARerunSkipsFinishedWork()
    {
        var request = new PipelineRequest("run-a", IngestInputs.FromDirectory(Path.Combine(Work, "data")), Path.Combine(Work, "runs", "run-a"), Options with { UsersPerShard = 40 });
        await Client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions("run-a"));
        // Watch the custom status while it runs: each stage reports done/total as its activities finish.
        var seen = new List<PipelineStatus>();
        OrchestrationMetadata done;
        while (!(done = (await Client.GetInstanceAsync("run-a", getInputsAndOutputs: true))!).IsCompleted)
        {
            if (done.ReadCustomStatusAs<PipelineStatus>() is { } status && !seen.Contains(status))
            {
                seen.Add(status);
            }
            await Task.Delay(100);
        }
        // Each week's shards follow its target users (one per 40 here): 5 label weeks and the submission week.
        var layout = new RunLayout(Path.Combine(Work, "runs", "run-a"));
        var weeks = new[] { 0, 1, 2, 3, 4, -1 };
        var shardsOf = new Dictionary<int, int>();
        using (var c = DuckDb.Open())
        {
            foreach (var w in weeks)
            {
                var targets = layout.Global(w, "targets");
                var users = c.Scalar<long>($"SELECT count(*) FROM read_parquet('{targets}')");
                shardsOf[w] = (int)c.Scalar<long>($"SELECT count(DISTINCT shard) FROM read_parquet('{targets}')");
                Assert.Equal((int)((users + 39) / 40), shardsOf[w]);
            }
        }
        Assert.True(shardsOf.Values.Max() > 1, string.Join(", ", shardsOf));
        var shardCount = shardsOf.Values.Sum();
        var recallStatus = seen.Where(s => s.Stage == "recall").ToList();
        Assert.NotEmpty(recallStatus);
        Assert.All(recallStatus, s => Assert.Equal(RecallStrategies.All.Count * shardCount, s.Total));
        Assert.True(recallStatus.Select(s => s.Done).Distinct().Count() > 1, "recall progress moves");
        Assert.Contains(seen, s => s.Stage == "features" && s.Total == shardCount);
        // The rankers' rounds reach the run's own status (raised as events by the activities of its training
        // sub-orchestration), and a detail never outlives its stage.
        Assert.Contains(seen, s => s.Stage == "training" && s.Detail is { } d && System.Text.RegularExpressions.Regex.IsMatch(d, @"^lgb_\w+: round \d+, validation MAP@12 "));
        Assert.All(seen.Where(s => s.Detail is not null), s => Assert.Contains(s.Stage, new[] { "ingest", "training" }));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<PipelineResult>()!;
        Assert.Equal("run-a", result.RunId);
        Assert.Equal(1_000, result.Ingest.CustomersInFile);
        Assert.Equal(new PipelineStatus("done", 1, 1), done.ReadCustomStatusAs<PipelineStatus>());
        foreach (var (week, shards) in shardsOf)
        {
            for (var shard = 0; shard < shards; shard++)
            {
                Assert.True(File.Exists(layout.Features(week, shard)), layout.Features(week, shard));
            }
            Assert.False(File.Exists(layout.Features(week, shards)));
        }
        // The recall report covers every week and strategy, and the merged candidates find purchases.
        var recall = result.Recall!;
        Assert.Equal(Options.Ingest.TrainingWeeks + 1, recall.Weeks.Count);
        var validation = recall.Weeks.Single(w => w.Week == 0);
        Assert.Equal(RecallStrategies.All.Append("merged"), validation.Rows.Select(r => r.Strategy));
        Assert.InRange(validation.Rows.Single(r => r.Strategy == "merged").Recall, 0.05, 1.0);
        Assert.True(File.Exists(layout.RecallReport));
        Assert.All(result.Stages!, s => Assert.Equal(0, s.Skipped));
        Assert.Equal(["text vectors", "recall global", "recall", "merge", "features", "baselines", "training", "evaluation"], result.Stages!.Select(s => s.Stage));
        // Every ranker, the network and every baseline is evaluated; the files the CLI and later stages read are there.
        var evaluation = result.Evaluation!;
        // The rankers and the network, the two ensembles and the baselines.
        Assert.Equal(TrainedModels.Names(Options).Count + 2 + BaselinesActivity.All.Count, evaluation.Models.Count);
        Assert.Contains(evaluation.Models, m => m.Model == EnsembleActivity.Weighted);
        Assert.Equal("network", evaluation.Models.Single(m => m.Model == "two_tower").Kind);
        Assert.Contains(result.Models!, m => m.Model == "two_tower" && m.Device == "cpu" && m.NotTrained is null);
        Assert.Equal(evaluation.Models.OrderByDescending(m => m.AllBuyers.Map12).Select(m => m.Model), evaluation.Models.Select(m => m.Model));
        Assert.All(evaluation.Models, m => Assert.InRange(m.AllBuyers.Map12, 0.0, 1.0));
        Assert.True(evaluation.Models.Single(m => m.Model == "lgb_binary").AllBuyers.Map12 > 0);
        Assert.True(File.Exists(Path.Combine(layout.RunDirectory, "eval", "metrics.json")));
        Assert.Equal(13, File.ReadAllLines(Path.Combine(layout.RunDirectory, "eval", "comparison.csv")).Length);
        Assert.Equal(5, result.Ensemble!.Models.Count);
        // The submission: a header and one line per customer, each with 12 distinct zero-padded article ids.
        var submission = File.ReadAllLines(result.Submission!.Path);
        Assert.Equal("customer_id,prediction", submission[0]);
        Assert.Equal(1_000 + 1, submission.Length);
        Assert.All(submission.Skip(1), line => Assert.Matches(@"^[0-9a-f]{64},\d{10}( \d{10}){11}$", line));
        Assert.All(submission.Skip(1), line => Assert.Equal(12, line.Split(',')[1].Split(' ').Distinct().Count()));
        Assert.True(result.Submission.RankedByModels > 0);
        Assert.Equal(1.0, result.Ensemble.Weights.Sum(), 9);

        // The report: every stage on the timeline with its activities' start and seconds, and the page's charts.
        Assert.Equal(["ingest", "text vectors", "recall global", "recall", "merge", "features", "recall report", "baselines", "training", "evaluation", "submission", "promotion"],
            result.Timeline!.Select(s => s.Stage));
        var recallStage = result.Timeline!.Single(s => s.Stage == "recall");
        Assert.Equal(RecallStrategies.All.Count * shardCount, recallStage.Activities.Count);
        Assert.All(recallStage.Activities, a => Assert.True(a.Started >= recallStage.Started && a.Seconds > 0, $"{a.Label} {a.Started:o} {a.Seconds}"));
        Assert.Contains(recallStage.Activities, a => a.Label == $"copurchase, week 0, shard {shardsOf[0] - 1}");
        Assert.Equal(result.Models!.Select(m => m.Model), result.Timeline!.Single(s => s.Stage == "training").Activities.Select(a => a.Label)); // four rankers and the network
        Assert.Equal(Path.Combine(layout.RunDirectory, "eval", "report.html"), result.Report);
        var html = File.ReadAllText(result.Report!);
        foreach (var chart in new[] { "chart-models", "chart-recall", "chart-recall-at", "chart-rounds", "chart-importance", "chart-timeline" })
        {
            Assert.Contains($"id=\"{chart}\"", html, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal); // self-contained: Chart.js is inline
        Assert.Contains("Chart.js v4.6.1", html, StringComparison.Ordinal);
        var parquet = Path.Combine(Work, "runs", "run-a", "ingest", "transactions.parquet");
        var written = File.GetLastWriteTimeUtc(parquet);
        var features = File.GetLastWriteTimeUtc(layout.Features(0, 0));

        // The same run again (as after a crash between stages): the ingest output exists and is reused.
        await Client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions("run-a"));
        var again = await Wait("run-a");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, again.RuntimeStatus);
        Assert.Equal(result.Ingest.RowsKept, again.ReadOutputAs<PipelineResult>()!.Ingest.RowsKept);
        Assert.Equal(written, File.GetLastWriteTimeUtc(parquet));
        Assert.Equal(features, File.GetLastWriteTimeUtc(layout.Features(0, 0)));
        var rerun = again.ReadOutputAs<PipelineResult>()!;
        Assert.All(rerun.Stages!.Where(s => s.Stage != "evaluation"), s => Assert.Equal(s.Activities, s.Skipped)); // evaluation is recomputed: it is cheap
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(result.Recall), System.Text.Json.JsonSerializer.Serialize(rerun.Recall));
    }

    [Fact]
    public async Task Pipeline_RunInBlobStorage_AFreshScratchPerActivity_EachPullsWhatItReads()
    {
        // Every activity starts from an empty scratch folder, as on a worker that never saw the run: it must pull from
        // the container all it reads (RunStorage.Reads), or fail. One activity at once, so none wipes another's folder.
        var container = await BlobStorage.OpenContainerAsync(Hub.Azurite.ConnectionString, "hmrec");
        var storage = new RunStorage(new BlobMirror(container)) { FreshScratchPerActivity = true };
        await using var blobHost = await Hub.OpenPipelineAsync(h => new PipelineActivities(client: h.Client, storage: storage), o => o with { MaxConcurrentActivityFunctions = 1 });
        var request = new PipelineRequest("run-blob", IngestInputs.FromDirectory(Path.Combine(Work, "data")), Path.Combine(Work, "scratch", "runs", "run-blob"),
            Options with { TwoTower = new TwoTowerOptions { Enabled = false }, Promotion = new PromotionOptions { MinRatioToRule = 0 } });
        await blobHost.Client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions("run-blob"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var done = await blobHost.Client.WaitForInstanceCompletionAsync("run-blob", getInputsAndOutputs: true, timeout.Token);
        await blobHost.CloseAsync();

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails.Root()?.ToString());
        Assert.True((await container.GetBlobClient("runs/run-blob/submission.csv").ExistsAsync()).Value);
        Assert.True((await container.GetBlobClient("runs/run-blob/eval/metrics.json").ExistsAsync()).Value);
        Assert.True((await container.GetBlobClient("runs/run-blob/eval/report.html").ExistsAsync()).Value);
        Assert.False(Directory.Exists(request.RunDirectory)); // the last activity deleted the scratch copy
        // The champion store is in the container too: another machine (an empty local cache) serves the run's
        // submission from it, reads the history, and waits for the lock that one machine holds.
        var result = done.ReadOutputAs<PipelineResult>()!;
        Assert.True(result.Promotion!.Promoted, result.Promotion.Reason);
        Assert.True((await container.GetBlobClient("champion/current.json").ExistsAsync()).Value);
        Assert.True((await container.GetBlobClient("champion/runs/run-blob/manifest.json").ExistsAsync()).Value);
        var elsewhere = ChampionStore.In(Path.Combine(Work, "elsewhere"), container);
        Assert.Equal("run-blob", elsewhere.Current()!.RunId);
        Assert.Equal(["run-blob"], elsewhere.History().Select(d => d.RunId));
        var index = (await new ChampionServing(elsewhere).CurrentAsync(CancellationToken.None))!;
        var submission = (await container.GetBlobClient("runs/run-blob/submission.csv").DownloadContentAsync()).Value.Content.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(submission.Count, index.Customers);
        Assert.All(submission.Take(50), l => Assert.Equal(l[1].Split(' '), index.For(l[0]).Articles));
        // With the champion gone from the container, a hand promotion on a machine that never saw the run pulls the
        // run's decision, model, submission and fallback inputs, installs it and points at it.
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "champion/", default))
        {
            await container.DeleteBlobAsync(blob.Name);
        }
        Assert.Null(elsewhere.Current());
        var fresh = ChampionStore.In(Path.Combine(Work, "fresh"), container);
        var byHand = await ChampionActions.PromoteAsync(fresh, "run-blob", DateTime.UtcNow);
        Assert.Equal(("run-blob", "promoted by hand"), (byHand.RunId, byHand.Reason));
        Assert.Equal(12, fresh.Manifest("run-blob").Fallback.Count);
        Assert.True((await container.GetBlobClient("champion/runs/run-blob/model.txt").ExistsAsync()).Value);
        Assert.False(Directory.Exists(Path.Combine(Work, "fresh", "runs", "run-blob")), "the hand promotion's copy of the run is removed");
        using (elsewhere.Lock(TimeSpan.FromSeconds(5)))
        {
            var held = Assert.Throws<IOException>(() => ChampionStore.In(Path.Combine(Work, "third"), container).Lock(TimeSpan.FromSeconds(1)).Dispose());
            Assert.Contains("champion/lock", held.Message, StringComparison.Ordinal);
        }
        ChampionStore.In(Path.Combine(Work, "third"), container).Lock(TimeSpan.FromSeconds(5)).Dispose();
        // What a recall shard pulls: its inputs, not the other weeks' or the models.
        var reads = RecallShardActivity.Definition.ReadSet(new RecallShardTask(request.RunDirectory, new LabelWeek(2, 0, 0), 1, Options, "copurchase"));
        Assert.Contains(reads, r => r.IsMatch("recall/week=2/global/items.parquet"));
        Assert.DoesNotContain(reads, r => r.IsMatch("recall/week=1/global/items.parquet") || r.IsMatch("features/week=2/shard=1.parquet"));
    }

    [Theory]
    [InlineData("articles_train_sample_v2.csv", "transactions_train_sample_v1.csv")]
    [InlineData("articles_first_day_sample.csv", "transactions_first_10k.csv")]
    public async Task Pipeline_RealSample_CompletesThroughFeatures(string articles, string transactions)
    {
        var sample = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/hm-real-sample"));
        var id = "real-" + Path.GetFileNameWithoutExtension(transactions);
        // The network off: the pipeline still evaluates and submits with the LightGBM rankers and the baselines.
        var request = new PipelineRequest(id, new IngestInputs(Path.Combine(sample, articles), Path.Combine(sample, "customers_sample_v1.csv"), Path.Combine(sample, transactions)),
            Path.Combine(Work, "runs", id), Options with { TwoTower = new TwoTowerOptions { Enabled = false } });
        await Client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions(id));
        var done = await Wait(id);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        var result = done.ReadOutputAs<PipelineResult>()!;
        Assert.Equal(5, result.Recall!.Weeks.Count);
        Assert.True(File.Exists(new RunLayout(request.RunDirectory).Features(0, 0)));
        Assert.Equal(1_364 + 1, File.ReadAllLines(result.Submission!.Path).Length);
        Assert.DoesNotContain(result.Models!, m => m.Model == "two_tower");
        Assert.DoesNotContain(result.Evaluation!.Models, m => m.Model == "two_tower");
        Assert.False(Directory.Exists(Path.Combine(request.RunDirectory, "models", "two_tower")));
        if (transactions == "transactions_train_sample_v1.csv")
        {
            // Two years of 1,364 real customers: the last week has buyers and the candidates find some of their purchases.
            var validation = result.Recall.Weeks.Single(w => w.Week == 0);
            Assert.True(validation.Targets > 0);
            Assert.True(result.Stages!.Single(s => s.Stage == "features").Rows > 0);
        }
    }

    /// <summary>
    /// Retailers differ: the same options on data of other shapes (sales spread thin, long repurchase gaps, fast
    /// catalogue turnover, even or uneven activity). On each, the simple rule's twelve items are among every
    /// validation buyer's candidates, every ranker trains, and the best model is not below the rule.
    /// </summary>
    [Theory]
    [InlineData("realistic", 0.35, 60.0, 1.38, 1.0)]
    [InlineData("fast-turnover", 1.0, 120.0, 1.38, 3.0)]
    [InlineData("concentrated-even", 2.0, 0.0, 0.6, 1.0)]
    public async Task Pipeline_AcrossDatasetShapes_TheRulesItemsAreCandidates_AndTheBestModelIsNotBelowTheRule(
        string shape, double concentration, double horizon, double dispersion, double turnover)
    {
        var data = Path.Combine(Work, "data-" + shape);
        SyntheticDataGenerator.Generate(new SyntheticOptions(2_000, 600, Seed: 11)
        {
            PopularityConcentration = concentration,
            RepurchaseHorizonDays = horizon,
            ActivityDispersion = dispersion,
            CatalogueTurnover = turnover,
        }, data);
        var id = "shape-" + shape;
        // Two training weeks and two shards keep the three runs short; the options are otherwise the defaults of every test here.
        var options = Options with { Shards = 2, Ingest = Options.Ingest with { TrainingWeeks = 2 }, TwoTower = new TwoTowerOptions { Enabled = false } };
        var request = new PipelineRequest(id, IngestInputs.FromDirectory(data), Path.Combine(Work, "runs", id), options);
        await Client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions(id));
        var done = await Wait(id);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails.Root()?.ToString());
        var result = done.ReadOutputAs<PipelineResult>()!;
        Assert.All(result.Models!, m => Assert.Null(m.NotTrained));

        var layout = new RunLayout(request.RunDirectory);
        var rule = Path.Combine(request.RunDirectory, "models", Activities.Evaluation.BaselinesActivity.RecentThenTop12, "validation.parquet");
        using (var c = DuckDb.Open())
        {
            var candidates = string.Join(", ", Enumerable.Range(0, options.Shards!.Value).Select(k => $"'{layout.Candidates(0, k)}'"));
            Assert.True(c.Scalar<long>($"SELECT count(*) FROM read_parquet('{rule}')") > 0);
            Assert.Equal(0L, c.Scalar<long>($"SELECT count(*) FROM read_parquet('{rule}') r ANTI JOIN read_parquet([{candidates}]) m USING (customer_idx, article_idx)"));
        }
        var models = result.Evaluation!.Models;
        var ruleMap = models.Single(m => m.Model == Activities.Evaluation.BaselinesActivity.RecentThenTop12).AllBuyers.Map12;
        var best = models.Where(m => m.Kind != "baseline").Max(m => m.AllBuyers.Map12);
        Assert.True(best >= ruleMap, $"{shape}: the best model's MAP@12 {best:F4} is below the rule's {ruleMap:F4}");
    }

    [Fact]
    public async Task Pipeline_BadInput_FailsOnceWithTheFileLineAndColumn_WithoutRetrying()
    {
        var data = Path.Combine(Work, "bad");
        Directory.CreateDirectory(data);
        foreach (var file in Directory.GetFiles(Path.Combine(Work, "data")))
        {
            File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        }
        var path = Path.Combine(data, HmSchema.TransactionsFile);
        var lines = File.ReadAllLines(path);
        lines[42] = "2020-02-30" + lines[42][10..];
        File.WriteAllLines(path, lines);

        var request = new PipelineRequest("run-bad", IngestInputs.FromDirectory(data), Path.Combine(Work, "runs", "run-bad"), Options);
        await Client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, request, new StartOrchestrationOptions("run-bad"));
        var done = await Wait("run-bad");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var root = done.FailureDetails.Root()!;
        Assert.Equal(typeof(InputDataException).FullName, root.ErrorType);
        Assert.Contains("line 43, column 't_dat'", root.ErrorMessage);
        Assert.Equal(1, TaskHubFixture.Count(await Client.GetHistoryAsync("run-bad"), EventType.TaskScheduled));
        Assert.False(Directory.Exists(Path.Combine(Work, "runs", "run-bad", "ingest")));
    }

    /// <summary>Default options with fewer boosting rounds and epochs, to keep the suite short.</summary>
    private static PipelineOptions Options => new()
    {
        Training = new TrainingOptions { MaxRounds = 30, EarlyStoppingRounds = 10 },
        TwoTower = new TwoTowerOptions { MaxEpochs = 3, PollSeconds = 1 },
    };

    private async Task<OrchestrationMetadata> Wait(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }
}
