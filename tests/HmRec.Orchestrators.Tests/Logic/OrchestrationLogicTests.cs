using System.Collections.Concurrent;
using HmRec.Activities;
using HmRec.Activities.Evaluation;
using HmRec.Activities.Features;
using HmRec.Activities.Report;
using HmRec.Shared.Data;

namespace HmRec.Orchestrators.Tests.Logic;

/// <summary>
/// The orchestrations' own logic, without a backend: the real orchestrators in an in-memory orchestration context with
/// a clock of its own (<see cref="InMemoryOrchestration"/>), every activity replaced by a stand-in that records its call
/// and answers what the test says (stage order, the shards and strategies fanned out, which failures are retried, the
/// network's dispatch as a state machine, its deadline).
/// </summary>
public sealed class OrchestrationLogicTests
{
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

    /// <summary>The real orchestrators and a stand-in for every activity of the list, answering through <paramref name="answer"/>.</summary>
    private InMemoryOrchestration Start(Func<string, object?, object?> answer)
    {
        var world = new InMemoryOrchestration();
        world.Orchestrator<PipelineRequest, PipelineResult>(PipelineOrchestrator.Name, new PipelineOrchestrator().RunAsync);
        world.Orchestrator<WeekTask, TrainingResult>(TrainingOrchestrator.Name, new TrainingOrchestrator().RunAsync);
        world.Orchestrator<WeekTask, ModelSummary>("Dispatch", TwoTowerDispatch.RunAsync);
        var standIns = new StandIns(world, (name, input) =>
        {
            calls.Enqueue((name, input));
            return answer(name, input);
        });
        foreach (var activity in PipelineActivityList.All)
        {
            activity.Accept(standIns);
        }
        return world;
    }

    private sealed class StandIns(InMemoryOrchestration world, Func<string, object?, object?> answer) : IActivityVisitor
    {
        public void Visit<TInput, TOutput>(ActivityDefinition<TInput, TOutput> activity) =>
            world.Activity<TInput, TOutput>(activity.Name, input => (TOutput)answer(activity.Name, input)!);
    }

    private static PipelineOptions Options(bool network = false) => new()
    {
        Shards = 1,
        Ingest = new IngestOptions { TrainingWeeks = 1 },
        TwoTower = new TwoTowerOptions { Enabled = network, PollSeconds = 0.05, TimeoutMinutes = 0.05, MaxAttempts = 3 },
    };

    private static PipelineRequest Request(PipelineOptions options) =>
        new("run-x", new IngestInputs("/data/a.csv", "/data/c.csv", "/data/t.csv"), "/run", options);

    private static Task<PipelineResult> Pipeline(InMemoryOrchestration world, PipelineOptions options) =>
        world.RunAsync<PipelineRequest, PipelineResult>(PipelineOrchestrator.Name, "run-x", Request(options));

    private static Task<ModelSummary> Dispatch(InMemoryOrchestration world) =>
        world.RunAsync<WeekTask, ModelSummary>("Dispatch", "run-x:training", new WeekTask("/run", LabelWeek.Of(LastDay, 0), Options(network: true)));

    /// <summary>The message of the failure an orchestration ended with (an activity's, as its task failure carries it, or its own).</summary>
    private static async Task<string> FailureAsync<T>(Task<T> run)
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => run);
        return e is TaskFailedException failed ? failed.FailureDetails.ErrorMessage : e.Message;
    }

    [Fact]
    public async Task Pipeline_RunsTheStagesInOrder_FanningOutEveryWeekShardAndStrategy()
    {
        var world = Start(Answer);
        await Pipeline(world, Options());
        Assert.Equal(new PipelineStatus("done", 1, 1), world.Statuses["run-x"]);

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
        // A training week, the validation week and the week after the data, one shard each.
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
        var bad = Start((name, input) => name == IngestActivity.Name ? throw new InputDataException("/data/t.csv", 3, "price", "not a number") : Answer(name, input));
        Assert.Contains("line 3", await FailureAsync(Pipeline(bad, Options())), StringComparison.Ordinal);
        Assert.Single(calls, c => c.Name == IngestActivity.Name);
        calls.Clear();
        var flaky = Start((name, input) => name == TextVectorsActivity.Name && Interlocked.Increment(ref ingestCalls) == 1
            ? throw new IOException("the disk hiccupped")
            : Answer(name, input));
        var started = flaky.Now;
        await Pipeline(flaky, Options());
        Assert.Equal(2, calls.Count(c => c.Name == TextVectorsActivity.Name));
        Assert.Equal(TimeSpan.FromSeconds(5), flaky.Now - started); // the retry policy's first interval, on the orchestration's clock
    }

    [Fact]
    public async Task Pipeline_AutomaticShardsOverTheActivityLimit_FailsBeforeRecall()
    {
        var world = Start((name, input) => name == RecallGlobalActivity.Name ? new StageOutput("/run/x", 900, 900, 0.1, false) : Answer(name, input));
        var request = Request(Options() with { Shards = null, UsersPerShard = 1 }) with { MaxActivities = 1000 };
        var failure = await FailureAsync(world.RunAsync<PipelineRequest, PipelineResult>(PipelineOrchestrator.Name, "run-x", request));
        Assert.Contains("HMREC_MAX_ACTIVITIES_PER_RUN", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(calls, c => c.Name == RecallShardActivity.Name);
    }

    private static TwoTowerJob Job(int attempt) => new("/run", "/run/models/two_tower", attempt, 100 + attempt, DateTime.UnixEpoch, DateTime.UnixEpoch, "worker", "/run/models/two_tower/worker.log");

    [Fact]
    public async Task Dispatch_ADiedJobStartsAgain_ThenItsSuccessIsTheModel()
    {
        var statuses = new ConcurrentQueue<TwoTowerState>([TwoTowerState.Running, TwoTowerState.Died, TwoTowerState.Running, TwoTowerState.Succeeded]);
        var world = Start((name, input) => name switch
        {
            TwoTowerActivities.StartName => Job(((TwoTowerStart)input!).Attempt),
            TwoTowerActivities.StatusName => statuses.TryDequeue(out var s) ? new TwoTowerStatus(s, s.ToString(), s == TwoTowerState.Succeeded ? Model("two_tower") : null) : null,
            _ => Answer(name, input),
        });
        Assert.Equal("two_tower", (await Dispatch(world)).Model);
        Assert.Equal([1, 2], calls.Where(c => c.Name == TwoTowerActivities.StartName).Select(c => ((TwoTowerStart)c.Input!).Attempt));
        Assert.Equal(4, calls.Count(c => c.Name == TwoTowerActivities.StatusName));
    }

    [Fact]
    public async Task Dispatch_DiesEveryTime_GivesUpAfterMaxAttempts_AndAReportedFailureIsNotRetried()
    {
        var dies = Start((name, input) => name switch
        {
            TwoTowerActivities.StartName => Job(((TwoTowerStart)input!).Attempt),
            TwoTowerActivities.StatusName => new TwoTowerStatus(TwoTowerState.Died, "the process is gone", null),
            _ => Answer(name, input),
        });
        Assert.Contains("started 3 times", await FailureAsync(Dispatch(dies)), StringComparison.Ordinal);
        Assert.Equal(3, calls.Count(c => c.Name == TwoTowerActivities.StartName));
        calls.Clear();
        var fails = Start((name, input) => name switch
        {
            TwoTowerActivities.StartName => Job(((TwoTowerStart)input!).Attempt),
            TwoTowerActivities.StatusName => new TwoTowerStatus(TwoTowerState.Failed, "CUDA is not available", null),
            _ => Answer(name, input),
        });
        Assert.Contains("CUDA is not available", await FailureAsync(Dispatch(fails)), StringComparison.Ordinal);
        Assert.Single(calls, c => c.Name == TwoTowerActivities.StartName);
    }

    [Fact]
    public async Task Dispatch_StillRunningAtTheDeadline_IsStoppedAndFails()
    {
        var world = Start((name, input) => name switch
        {
            TwoTowerActivities.StartName => Job(((TwoTowerStart)input!).Attempt),
            TwoTowerActivities.StatusName => new TwoTowerStatus(TwoTowerState.Running, null, null),
            TwoTowerActivities.StopName => true,
            _ => Answer(name, input),
        });
        var started = world.Now;
        Assert.Contains("TwoTower.TimeoutMinutes", await FailureAsync(Dispatch(world)), StringComparison.Ordinal);
        Assert.Single(calls, c => c.Name == TwoTowerActivities.StopName);
        // Polled every PollSeconds until the deadline, on the orchestration's clock: 3 s of 0.05 s polls.
        Assert.Equal(TimeSpan.FromMinutes(0.05), world.Now - started);
        Assert.InRange(calls.Count(c => c.Name == TwoTowerActivities.StatusName), 55, 62);
    }
}
