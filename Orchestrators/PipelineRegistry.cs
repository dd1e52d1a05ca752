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
        (IngestActivity.Name, (r, a) => r.AddActivityFunc<IngestRequest, IngestSummary>(IngestActivity.Name, (c, x) => a.Ingest(x, c.InstanceId))),
        (TextVectorsActivity.Name, (r, a) => r.AddActivityFunc<RunTask, StageOutput>(TextVectorsActivity.Name, (_, x) => a.TextVectors(x))),
        (RecallGlobalActivity.Name, (r, a) => r.AddActivityFunc<WeekTask, StageOutput>(RecallGlobalActivity.Name, (_, x) => a.RecallGlobal(x))),
        (RecallShardActivity.Name, (r, a) => r.AddActivityFunc<ShardTask, StageOutput>(RecallShardActivity.Name, (_, x) => a.RecallShard(x))),
        (MergeActivity.Name, (r, a) => r.AddActivityFunc<ShardTask, StageOutput>(MergeActivity.Name, (_, x) => a.Merge(x))),
        (FeaturesActivity.Name, (r, a) => r.AddActivityFunc<ShardTask, StageOutput>(FeaturesActivity.Name, (_, x) => a.Features(x))),
        (RecallReportActivity.Name, (r, a) => r.AddActivityFunc<ReportTask, RecallReport>(RecallReportActivity.Name, (_, x) => a.RecallReport(x))),
        (BaselinesActivity.Name, (r, a) => r.AddActivityFunc<WeekTask, StageOutput>(BaselinesActivity.Name, (_, x) => a.Baselines(x))),
        (RankerActivity.Name, (r, a) => r.AddActivityFunc<ShardTask, ModelSummary>(RankerActivity.Name, (c, x) => a.Ranker(x, c.InstanceId))),
        (TwoTowerActivities.StartName, (r, a) => r.AddActivityFunc<TwoTowerStart, TwoTowerJob>(TwoTowerActivities.StartName, (_, x) => a.TwoTowerStart(x))),
        (TwoTowerActivities.StatusName, (r, a) => r.AddActivityFunc<TwoTowerJob, TwoTowerStatus>(TwoTowerActivities.StatusName, (c, x) => a.TwoTowerStatus(x, c.InstanceId))),
        (TwoTowerActivities.StopName, (r, a) => r.AddActivityFunc<TwoTowerJob, bool>(TwoTowerActivities.StopName, (_, x) => a.TwoTowerStop(x))),
        (EnsembleActivity.Name, (r, a) => r.AddActivityFunc<EvaluationTask, EnsembleSummary>(EnsembleActivity.Name, (_, x) => a.Ensemble(x))),
        (SubmissionActivity.Name, (r, a) => r.AddActivityFunc<EvaluationTask, SubmissionSummary>(SubmissionActivity.Name, (_, x) => a.Submission(x))),
        (EvaluateShardActivity.Name, (r, a) => r.AddActivityFunc<ShardTask, ShardMetrics>(EvaluateShardActivity.Name, (_, x) => a.EvaluateShard(x))),
        (EvaluationActivity.Name, (r, a) => r.AddActivityFunc<EvaluationReduceTask, EvaluationReport>(EvaluationActivity.Name, (_, x) => a.Evaluation(x))),
        (RunReportActivity.Name, (r, a) => r.AddActivityFunc<RunReportTask, string>(RunReportActivity.Name, (_, x) => a.RunReport(x))),
    ];

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
