using HmRec.Activities.Common;
using HmRec.Activities.Evaluation;
using HmRec.Activities.Features;
using HmRec.Activities.Ingest;
using HmRec.Activities.Recall;
using HmRec.Activities.Report;
using HmRec.Activities.Training;
using HmRec.Activities.Training.TwoTower;
using HmRec.Orchestrators.Pipeline;
using HmRec.Orchestrators.Training;
using Microsoft.DurableTask;

namespace HmRec.Orchestrators;

/// <summary>
/// The one list of HmRec's orchestrators and activities: the standalone host registers it with its worker, and the
/// Functions app has one <c>[Function]</c> per entry (a test compares the app's generated metadata with it).
/// </summary>
public static class PipelineRegistry
{
    private static readonly (string Name, Action<DurableTaskRegistry> Add)[] Orchestrations =
    [
        (PipelineOrchestrator.Name, r => r.AddOrchestrator<PipelineOrchestrator>(PipelineOrchestrator.Name)),
        (TrainingOrchestrator.Name, r => r.AddOrchestrator<TrainingOrchestrator>(TrainingOrchestrator.Name)),
    ];

    private static readonly (string Name, Action<DurableTaskRegistry, PipelineActivities> Add)[] ActivityTable =
    [
        (IngestActivity.Name, (r, a) => Add<IngestRequest, IngestSummary>(r, IngestActivity.Name, a, (c, x) => a.Ingest(x, c.InstanceId))),
        (TextVectorsActivity.Name, (r, a) => Add<RunTask, StageOutput>(r, TextVectorsActivity.Name, a, (_, x) => a.TextVectors(x))),
        (RecallGlobalActivity.Name, (r, a) => Add<WeekTask, StageOutput>(r, RecallGlobalActivity.Name, a, (_, x) => a.RecallGlobal(x))),
        (RecallShardActivity.Name, (r, a) => Add<ShardTask, StageOutput>(r, RecallShardActivity.Name, a, (_, x) => a.RecallShard(x))),
        (MergeActivity.Name, (r, a) => Add<ShardTask, StageOutput>(r, MergeActivity.Name, a, (_, x) => a.Merge(x))),
        (FeaturesActivity.Name, (r, a) => Add<ShardTask, StageOutput>(r, FeaturesActivity.Name, a, (_, x) => a.Features(x))),
        (RecallReportActivity.Name, (r, a) => Add<ReportTask, RecallReport>(r, RecallReportActivity.Name, a, (_, x) => a.RecallReport(x))),
        (BaselinesActivity.Name, (r, a) => Add<WeekTask, StageOutput>(r, BaselinesActivity.Name, a, (_, x) => a.Baselines(x))),
        (RankerActivity.Name, (r, a) => Add<ShardTask, ModelSummary>(r, RankerActivity.Name, a, (c, x) => a.Ranker(x, c.InstanceId))),
        (TwoTowerActivities.StartName, (r, a) => Add<TwoTowerStart, TwoTowerJob>(r, TwoTowerActivities.StartName, a, (_, x) => a.TwoTowerStart(x))),
        (TwoTowerActivities.StatusName, (r, a) => Add<TwoTowerJob, TwoTowerStatus>(r, TwoTowerActivities.StatusName, a, (c, x) => a.TwoTowerStatus(x, c.InstanceId))),
        (TwoTowerActivities.StopName, (r, a) => Add<TwoTowerJob, bool>(r, TwoTowerActivities.StopName, a, (_, x) => a.TwoTowerStop(x))),
        (EnsembleActivity.Name, (r, a) => Add<EvaluationTask, EnsembleSummary>(r, EnsembleActivity.Name, a, (_, x) => a.Ensemble(x))),
        (SubmissionActivity.Name, (r, a) => Add<EvaluationTask, SubmissionSummary>(r, SubmissionActivity.Name, a, (_, x) => a.Submission(x))),
        (EvaluateShardActivity.Name, (r, a) => Add<ShardTask, ShardMetrics>(r, EvaluateShardActivity.Name, a, (_, x) => a.EvaluateShard(x))),
        (EvaluationActivity.Name, (r, a) => Add<EvaluationReduceTask, EvaluationReport>(r, EvaluationActivity.Name, a, (_, x) => a.Evaluation(x))),
        (RunReportActivity.Name, (r, a) => Add<RunReportTask, string>(r, RunReportActivity.Name, a, (_, x) => a.RunReport(x))),
    ];

    /// <summary>Adds an activity that first checks that its run has not ended (<see cref="PipelineActivities.ThrowIfRunEndedAsync"/>).</summary>
    private static void Add<TInput, TOutput>(DurableTaskRegistry registry, string name, PipelineActivities activities, Func<TaskActivityContext, TInput, Task<TOutput>> run) =>
        registry.AddActivityFunc<TInput, TOutput>(name, async (context, input) =>
        {
            await activities.ThrowIfRunEndedAsync(context.InstanceId).ConfigureAwait(false);
            return await run(context, input).ConfigureAwait(false);
        });

    /// <summary>The orchestrators' names.</summary>
    public static IReadOnlyList<string> OrchestratorNames { get; } = [.. Orchestrations.Select(o => o.Name)];

    /// <summary>The activities' names.</summary>
    public static IReadOnlyList<string> ActivityNames { get; } = [.. ActivityTable.Select(a => a.Name)];

    /// <summary>Adds every orchestrator, and every activity bound to <paramref name="activities"/>, to <paramref name="registry"/>.</summary>
    public static DurableTaskRegistry Register(DurableTaskRegistry registry, PipelineActivities activities)
    {
        foreach (var (_, add) in Orchestrations)
        {
            add(registry);
        }
        foreach (var (_, add) in ActivityTable)
        {
            add(registry, activities);
        }
        return registry;
    }

    /// <inheritdoc cref="PipelineActivities"/>
    public static DurableTaskRegistry Register(DurableTaskRegistry registry, IProgress<string>? progress = null, RaiseEvent? raiseEvent = null, RunStorage? storage = null,
        CancellationToken stopping = default) => Register(registry, new PipelineActivities(progress, raiseEvent, storage, stopping));
}
