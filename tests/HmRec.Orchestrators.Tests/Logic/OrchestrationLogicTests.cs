using System.Collections.Concurrent;
using HmRec.Activities;
using HmRec.Activities.Evaluation;
using HmRec.Activities.Features;
using HmRec.Activities.Report;
using HmRec.Shared.Data;
using Microsoft.DurableTask.Testing;

namespace HmRec.Orchestrators.Tests.Logic;

/// <summary>
/// The orchestrations' own logic, without a storage backend: the real orchestrators on the SDK's in-process test host,
/// every activity replaced by a stand-in that records its call and answers what the test says (stage order, the shards
/// and strategies fanned out, which failures are retried, the network's dispatch as a state machine).
/// </summary>
public sealed class OrchestrationLogicTests
{
    // The test host's own web host logs every request at Information; only its warnings are wanted here.
    static OrchestrationLogicTests() => Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");

    private static readonly DateOnly LastDay = new(2020, 9, 22);

    /// <summary>Each activity call, in the order they were made.</summary>
    private readonly ConcurrentQueue<(string Name, object? Input)> calls = new();

    private static IngestSummary Ingest() => new()
    {
        OutputDirectory = "/run/ingest", TransactionRows = 100, RowsKept = 100, FirstDay = LastDay.AddDays(-70), LastDay = LastDay,
        Splits = [], CustomersInFile = 10, UnknownCustomers = 0, UnknownCustomerRows = 0, ArticlesInFile = 10, ArticlesWithoutMetadata = 0,
        RowsWithoutArticleMetadata = 0, EligibleArticles = 10, Bins = [], SampledUsers = 10, Seconds = 1,
    };

    private static ModelSummary Model(string name) => new(name, "/run/models/" + name, 10, 10, 3, 2, 0.1, [], 1, false);

    /// <summary>What each stand-in answers by default: outputs shaped like the real ones, 3 target users a week.</summary>
    private static object? Answer(string name, object? input) => name switch
    {
        IngestActivity.Name => Ingest(),
        RecallReportActivity.Name => new RecallReport([], []),
        RankerActivity.Name => Model(((RankerTask)input!).Variant),
        EnsembleActivity.Name => new EnsembleSummary([], [], [], [], "test"),
        EvaluateShardActivity.Name => new ShardMetrics(((ModelShardTask)input!).Model, ((ModelShardTask)input!).Shard, true, MetricSums.Zero, MetricSums.Zero),
        EvaluationActivity.Name => new EvaluationReport(3, 3, 0.5, []),
        SubmissionActivity.Name => new SubmissionSummary("/run/submission.csv", 10, 5, 5, "test", "test", 1),
        RunReportActivity.Name => "/run/eval/report.html",
        PromotionActivity.Name => new PromotionDecision("run-x", LastDay, false, "test", null, 0, 0, null, null, null, null),
        _ => new StageOutput("/run/x", 3, 3, 0.1, false),
    };

    /// <summary>Registers the real orchestrators and a stand-in for every activity of the list, answering through <paramref name="answer"/>.</summary>
    private async Task<DurableTaskTestHost> StartAsync(Func<string, object?, object?> answer) =>
        await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<PipelineOrchestrator>(PipelineOrchestrator.Name);
            registry.AddOrchestrator<TrainingOrchestrator>(TrainingOrchestrator.Name);
            registry.AddOrchestratorFunc<WeekTask, ModelSummary>("Dispatch", TwoTowerDispatch.RunAsync);
            var standIns = new StandIns(registry, (name, input) =>
            {
                calls.Enqueue((name, input));
                return answer(name, input);
            });
            foreach (var activity in PipelineActivityList.All)
            {
                activity.Accept(standIns);
            }
        }, new DurableTaskTestHostOptions { Port = FreePort() });

    private sealed class StandIns(DurableTaskRegistry registry, Func<string, object?, object?> answer) : IActivityVisitor
    {
        public void Visit<TInput, TOutput>(ActivityDefinition<TInput, TOutput> activity) =>
            registry.AddActivityFunc<TInput, TOutput>(activity.Name, (_, input) => (TOutput)answer(activity.Name, input)!);
    }

    private static PipelineOptions Options(bool network = false) => new()
    {
        Shards = 1,
        Ingest = new IngestOptions { TrainingWeeks = 1 },
        TwoTower = new TwoTowerOptions { Enabled = network, PollSeconds = 0.05, TimeoutMinutes = 0.05, MaxAttempts = 3 },
    };

    private static PipelineRequest Request(PipelineOptions options) =>
        new("run-x", new IngestInputs("/data/a.csv", "/data/c.csv", "/data/t.csv"), "/run", options);

    private static async Task<OrchestrationMetadata> RunAsync(DurableTaskClient client, string orchestrator, object input)
    {
        var id = await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }

    [Fact]
    public async Task Pipeline_RunsTheStagesInOrder_FanningOutEveryWeekShardAndStrategy()
    {
        await using var host = await StartAsync(Answer);
        var done = await RunAsync(host.Client, PipelineOrchestrator.Name, Request(Options()));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

        var names = calls.Select(c => c.Name).ToList();
        // Each stage starts only after the one before has finished: the first call of a stage comes after the last of the previous.
        string[] stages = [IngestActivity.Name, TextVectorsActivity.Name, RecallGlobalActivity.Name, RecallShardActivity.Name, MergeActivity.Name,
            FeaturesActivity.Name, RecallReportActivity.Name, BaselinesActivity.Name, RankerActivity.Name, EnsembleActivity.Name,
            EvaluateShardActivity.Name, EvaluationActivity.Name, SubmissionActivity.Name, PromotionActivity.Name, RunReportActivity.Name];
        Assert.Equal(stages.Order(), names.Distinct().Order());
        for (var i = 1; i < stages.Length; i++)
        {
            Assert.True(names.LastIndexOf(stages[i - 1]) < names.IndexOf(stages[i]), $"{stages[i]} began before {stages[i - 1]} ended");
        }
        // A training week, the validation week and the week after the data, one shard each (the test host runs two
        // activities at a time: a wider fan-out only costs time here; the real host's tests cover several shards).
        Assert.Equal(3, names.Count(n => n == RecallGlobalActivity.Name));
        var recall = calls.Where(c => c.Name == RecallShardActivity.Name).Select(c => (RecallShardTask)c.Input!).ToList();
        Assert.Equal(3 * RecallStrategies.All.Count, recall.Count);
        Assert.Equal(RecallStrategies.All.Order(), recall.Select(r => r.Strategy).Distinct().Order());
        Assert.Equal([-1, 0, 1], recall.Select(r => r.Week.Week).Distinct().Order());
        Assert.Equal(3, names.Count(n => n == FeaturesActivity.Name));
        Assert.Equal(RankerVariants.All.Order(), calls.Where(c => c.Name == RankerActivity.Name).Select(c => ((RankerTask)c.Input!).Variant).Order());
        // Every model (four rankers, two ensembles, five baselines) on the validation week's shard.
        var evaluated = calls.Where(c => c.Name == EvaluateShardActivity.Name).Select(c => (ModelShardTask)c.Input!).ToList();
        Assert.Equal(11, evaluated.Count);
        Assert.All(evaluated, e => Assert.Equal(0, e.Week.Week));
        Assert.DoesNotContain(names, n => n == TwoTowerActivities.StartName);
    }

    [Fact]
    public async Task Pipeline_BadInputFailsAtOnce_ATransientFailureIsRetried()
    {
        var ingestCalls = 0;
        await using (var host = await StartAsync((name, input) => name == IngestActivity.Name
            ? throw new InputDataException("/data/t.csv", 3, "price", "not a number")
            : Answer(name, input)))
        {
            var failed = await RunAsync(host.Client, PipelineOrchestrator.Name, Request(Options()));
            Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
            Assert.Contains("line 3", failed.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
            Assert.Single(calls, c => c.Name == IngestActivity.Name);
        }
        calls.Clear();
        await using (var host = await StartAsync((name, input) => name == TextVectorsActivity.Name && Interlocked.Increment(ref ingestCalls) == 1
            ? throw new IOException("the disk hiccupped")
            : Answer(name, input)))
        {
            var done = await RunAsync(host.Client, PipelineOrchestrator.Name, Request(Options()));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            Assert.Equal(2, calls.Count(c => c.Name == TextVectorsActivity.Name));
        }
    }

    [Fact]
    public async Task Pipeline_AutomaticShardsOverTheActivityLimit_FailsBeforeRecall()
    {
        await using var host = await StartAsync((name, input) => name == RecallGlobalActivity.Name ? new StageOutput("/run/x", 900, 900, 0.1, false) : Answer(name, input));
        var request = Request(Options() with { Shards = null, UsersPerShard = 1 }) with { MaxActivities = 1000 };
        var failed = await RunAsync(host.Client, PipelineOrchestrator.Name, request);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Contains("HMREC_MAX_ACTIVITIES_PER_RUN", failed.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.Name == RecallShardActivity.Name);
    }

    private static TwoTowerJob Job(int attempt) => new("/run", "/run/models/two_tower", attempt, 100 + attempt, DateTime.UnixEpoch, DateTime.UnixEpoch, "worker", "/run/models/two_tower/worker.log");

    [Fact]
    public async Task Dispatch_ADiedJobStartsAgain_ThenItsSuccessIsTheModel()
    {
        var statuses = new ConcurrentQueue<TwoTowerState>([TwoTowerState.Running, TwoTowerState.Died, TwoTowerState.Running, TwoTowerState.Succeeded]);
        await using var host = await StartAsync((name, input) => name switch
        {
            TwoTowerActivities.StartName => Job(((TwoTowerStart)input!).Attempt),
            TwoTowerActivities.StatusName => statuses.TryDequeue(out var s) ? new TwoTowerStatus(s, s.ToString(), s == TwoTowerState.Succeeded ? Model("two_tower") : null) : null,
            _ => Answer(name, input),
        });
        var done = await RunAsync(host.Client, "Dispatch", new WeekTask("/run", LabelWeek.Of(LastDay, 0), Options(network: true)));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("two_tower", done.ReadOutputAs<ModelSummary>()!.Model);
        Assert.Equal([1, 2], calls.Where(c => c.Name == TwoTowerActivities.StartName).Select(c => ((TwoTowerStart)c.Input!).Attempt));
        Assert.Equal(4, calls.Count(c => c.Name == TwoTowerActivities.StatusName));
    }

    [Fact]
    public async Task Dispatch_DiesEveryTime_GivesUpAfterMaxAttempts_AndAReportedFailureIsNotRetried()
    {
        await using (var host = await StartAsync((name, input) => name switch
        {
            TwoTowerActivities.StartName => Job(((TwoTowerStart)input!).Attempt),
            TwoTowerActivities.StatusName => new TwoTowerStatus(TwoTowerState.Died, "the process is gone", null),
            _ => Answer(name, input),
        }))
        {
            var failed = await RunAsync(host.Client, "Dispatch", new WeekTask("/run", LabelWeek.Of(LastDay, 0), Options(network: true)));
            Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
            Assert.Contains("started 3 times", failed.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
            Assert.Equal(3, calls.Count(c => c.Name == TwoTowerActivities.StartName));
        }
        calls.Clear();
        await using (var host = await StartAsync((name, input) => name switch
        {
            TwoTowerActivities.StartName => Job(((TwoTowerStart)input!).Attempt),
            TwoTowerActivities.StatusName => new TwoTowerStatus(TwoTowerState.Failed, "CUDA is not available", null),
            _ => Answer(name, input),
        }))
        {
            var failed = await RunAsync(host.Client, "Dispatch", new WeekTask("/run", LabelWeek.Of(LastDay, 0), Options(network: true)));
            Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
            Assert.Contains("CUDA is not available", failed.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
            Assert.Single(calls, c => c.Name == TwoTowerActivities.StartName);
        }
    }

    [Fact]
    public async Task Dispatch_StillRunningAtTheDeadline_IsStoppedAndFails()
    {
        await using var host = await StartAsync((name, input) => name switch
        {
            TwoTowerActivities.StartName => Job(((TwoTowerStart)input!).Attempt),
            TwoTowerActivities.StatusName => new TwoTowerStatus(TwoTowerState.Running, null, null),
            TwoTowerActivities.StopName => true,
            _ => Answer(name, input),
        });
        var failed = await RunAsync(host.Client, "Dispatch", new WeekTask("/run", LabelWeek.Of(LastDay, 0), Options(network: true)));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Contains("TwoTower.TimeoutMinutes", failed.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(calls, c => c.Name == TwoTowerActivities.StopName);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
