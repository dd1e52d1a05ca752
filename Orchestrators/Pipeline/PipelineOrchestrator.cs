using HmRec.Activities.Features;
using HmRec.Orchestrators.Training;
using HmRec.Shared.Data;

namespace HmRec.Orchestrators.Pipeline;

/// <summary>
/// The pipeline: ingest; the article text vectors; then for every label week (the validation week and the
/// training weeks) the global recall tables, each strategy per user shard, the merge per shard and the
/// features per shard; then the recall report; the baselines and the four LightGBM rankers; and the evaluation
/// of every one of them on the validation week; then the submission for the week after the data. Each stage fans out over all weeks at once and reports its
/// progress as custom status. Deterministic: it only decides what runs next; activities do the work, and
/// each skips when its output already exists, so a second run of the same config costs little.
/// </summary>
public sealed class PipelineOrchestrator : TaskOrchestrator<PipelineRequest, PipelineResult>
{
    public const string Name = "Pipeline";

    /// <summary>Transient failures are retried; bad input or options are not, as they would fail the same way again.</summary>
    internal static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromSeconds(5), 2.0)
    {
        HandleFailure = f => !f.IsCausedBy<InputDataException>() && !f.IsCausedBy<ArgumentException>(),
    });

    public override async Task<PipelineResult> RunAsync(TaskOrchestrationContext context, PipelineRequest request)
    {
        var stages = new List<StageSummary>();
        var timeline = new List<StageTimeline>();
        var status = new StageStatus(context);
        status.Stage("ingest", 0, 1, IngestActivity.Name);
        var started = context.CurrentUtcDateTime;
        var ingest = await status.Await(context.CallAsync(IngestActivity.Definition,
            new IngestRequest(request.Inputs, Path.Combine(request.RunDirectory, "ingest"), request.Options.Ingest)));
        timeline.Add(Whole(context, "ingest", started));

        var options = request.Options;
        var run = request.RunDirectory;
        var labelled = LabelWeek.All(ingest, options.Ingest.TrainingWeeks);
        // Recall and features also run for the week after the data, whose predictions make the submission.
        IReadOnlyList<LabelWeek> weeks = [.. labelled, LabelWeek.Next(ingest.LastDay)];

        async Task<List<StageOutput>> Stage(string stage, IReadOnlyList<(string Label, Func<Task<StageOutput>> Call)> calls)
        {
            var (summary, spans, outputs) = await FanOut(context, status, stage, calls);
            stages.Add(summary);
            timeline.Add(spans);
            return outputs;
        }

        await Stage("text vectors", [("run", () => context.CallAsync(TextVectorsActivity.Definition, new RunTask(run, options)))]);
        var globals = await Stage("recall global", weeks.Select(w => ($"week {w.Week}", Call(() => context.CallAsync(RecallGlobalActivity.Definition, new WeekTask(run, w, options))))).ToList());
        // Each week's shards follow its target users, as its global tables assigned them.
        var shards = globals.Select(g => Enumerable.Range(0, options.ShardsFor(g.Users)).ToList()).ToList();
        if (request.MaxActivities is { } max)
        {
            PipelineLimits.CheckActivities(shards.Select(s => s.Count), max);
        }
        await Stage("recall", (
            from i in Enumerable.Range(0, weeks.Count)
            from s in RecallStrategies.All
            from k in shards[i]
            select ($"{s}, week {weeks[i].Week}, shard {k}", Call(() => context.CallAsync(RecallShardActivity.Definition, new RecallShardTask(run, weeks[i], k, options, s))))).ToList());
        await Stage("merge", (
            from i in Enumerable.Range(0, weeks.Count)
            from k in shards[i]
            select ($"week {weeks[i].Week}, shard {k}", Call(() => context.CallAsync(MergeActivity.Definition, new ShardTask(run, weeks[i], k, options))))).ToList());
        await Stage("features", (
            from i in Enumerable.Range(0, weeks.Count)
            from k in shards[i]
            select ($"week {weeks[i].Week}, shard {k}", Call(() => context.CallAsync(FeaturesActivity.Definition, new ShardTask(run, weeks[i], k, options))))).ToList());

        status.Stage("recall report", 0, 1);
        started = context.CurrentUtcDateTime;
        var report = await context.CallAsync(RecallReportActivity.Definition, new ReportTask(run, options, labelled));
        timeline.Add(Whole(context, "recall report", started));

        await Stage("baselines", [($"week {labelled[0].Week}", () => context.CallAsync(BaselinesActivity.Definition, new WeekTask(run, labelled[0], options)))]);
        started = context.CurrentUtcDateTime;
        // The rankers and the network report their rounds and epochs to this orchestration, not to the sub-orchestration.
        status.Stage("training", 0, 1, TrainingOrchestrator.DetailFrom);
        var training = await status.Await(context.CallSubOrchestratorAsync<TrainingResult>(TrainingOrchestrator.Name, new WeekTask(run, labelled[0], options),
            new SubOrchestrationOptions { InstanceId = TrainingOrchestrator.InstanceIdOf(context.InstanceId) }));
        var models = training.Models;
        var ensemble = training.Ensemble;
        stages.Add(new StageSummary("training", models.Count, models.Count(m => m.Skipped), models.Sum(m => m.TrainRows),
            models.Sum(m => m.Seconds), (context.CurrentUtcDateTime - started).TotalSeconds));
        timeline.Add(new StageTimeline("training", started, (context.CurrentUtcDateTime - started).TotalSeconds,
            [.. models.Where(m => m.NotTrained is null).Select(m => new ActivitySpan(m.Model, m.Started ?? started, m.Seconds, m.Skipped))]));

        // Evaluation: every model on every shard of the validation buyers, then one reduce.
        started = context.CurrentUtcDateTime;
        string[] evaluated = [.. TrainedModels.Names(options), EnsembleActivity.Average, EnsembleActivity.Weighted, .. BaselinesActivity.All];
        var shardMetrics = await WhenAllWithProgress(status, "evaluation", (
            from m in evaluated
            from k in shards[0] // the validation week's
            select (Func<Task<ShardMetrics>>)(() => context.CallAsync(EvaluateShardActivity.Definition, new ModelShardTask(run, labelled[0], k, options, m)))).ToList());
        var evaluation = await context.CallAsync(EvaluationActivity.Definition, new EvaluationReduceTask(run, options, shardMetrics));
        stages.Add(new StageSummary("evaluation", shardMetrics.Count + 1, 0, evaluation.Buyers, 0, (context.CurrentUtcDateTime - started).TotalSeconds));
        timeline.Add(Whole(context, "evaluation", started));
        status.Stage("submission", 0, 1);
        started = context.CurrentUtcDateTime;
        var submission = await context.CallAsync(SubmissionActivity.Definition, new EvaluationTask(run, options, TrainedModels.Names(options), evaluation.Models.FirstOrDefault(m => m.Kind == "baseline")?.Model));
        timeline.Add(Whole(context, "submission", started));
        status.Stage("promotion", 0, 1);
        started = context.CurrentUtcDateTime;
        var promotion = await context.CallAsync(PromotionActivity.Definition, new PromotionTask(run, options, ingest.LastDay));
        timeline.Add(Whole(context, "promotion", started));
        status.Stage("report", 0, 1);
        var reportPath = await context.CallAsync(RunReportActivity.Definition, new RunReportTask(run, timeline, models, submission));
        status.Stage("done", 1, 1);
        return new PipelineResult(request.RunId, ingest, report, stages, models, evaluation, ensemble, submission, timeline, reportPath) { Promotion = promotion };
    }

    /// <summary>
    /// The most activities a stage keeps scheduled at once: a wider stage runs in a sliding window, each completion
    /// scheduling the next call, so the task hub's queues never hold thousands of messages (Azurite, and a storage
    /// account's queues, slow down badly with that many).
    /// </summary>
    internal const int MaxInFlight = 200;

    /// <summary>
    /// Runs every call, at most <see cref="MaxInFlight"/> at once, updating the custom status as each completes (and
    /// its detail as activities named in <paramref name="detailFrom"/> report progress); returns the results in the
    /// calls' order and fails with the first failure.
    /// </summary>
    internal static async Task<List<T>> WhenAllWithProgress<T>(StageStatus status, string stage, IReadOnlyList<Func<Task<T>>> calls, params string[] detailFrom)
    {
        var tasks = new Task<T>[calls.Count];
        var pending = new List<Task<T>>();
        var next = 0;
        for (; next < Math.Min(MaxInFlight, calls.Count); next++)
        {
            pending.Add(tasks[next] = calls[next]());
        }
        status.Stage(stage, 0, calls.Count, detailFrom);
        var done = 0;
        while (pending.Count > 0)
        {
            var finished = (Task<T>)await status.WhenAny(pending);
            pending.Remove(finished);
            await finished; // a failure ends the stage here
            done++;
            if (next < calls.Count)
            {
                pending.Add(tasks[next] = calls[next]());
                next++;
            }
            status.Done(done);
        }
        return tasks.Select(t => t.Result).ToList();
    }

    /// <summary>
    /// Runs the calls in parallel, updating the custom status as each completes; fails with the first failure. Returns
    /// the stage's summary, its timeline (each activity's start, from its output, and seconds) and the outputs in the calls' order.
    /// </summary>
    private static async Task<(StageSummary Summary, StageTimeline Timeline, List<StageOutput> Outputs)> FanOut(TaskOrchestrationContext context, StageStatus status, string stage,
        IReadOnlyList<(string Label, Func<Task<StageOutput>> Call)> calls)
    {
        var started = context.CurrentUtcDateTime;
        var outputs = await WhenAllWithProgress(status, stage, calls.Select(c => c.Call).ToList());
        var wall = (context.CurrentUtcDateTime - started).TotalSeconds;
        var spans = outputs.Select((o, i) => new ActivitySpan(calls[i].Label, o.Started ?? started, o.Seconds, o.Skipped)).ToList();
        return (new StageSummary(stage, outputs.Count, outputs.Count(o => o.Skipped), outputs.Sum(o => o.Rows), outputs.Sum(o => o.Seconds), wall),
            new StageTimeline(stage, started, wall, spans), outputs);
    }

    /// <summary>A stage of one activity, or timed only as a whole, from <paramref name="started"/> to now on the orchestration's clock.</summary>
    private static StageTimeline Whole(TaskOrchestrationContext context, string stage, DateTime started) =>
        new(stage, started, (context.CurrentUtcDateTime - started).TotalSeconds, []);

    /// <summary>A typed call as the stages take it.</summary>
    private static Func<Task<StageOutput>> Call(Func<Task<StageOutput>> call) => call;
}
