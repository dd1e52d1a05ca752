using HmRec.Activities.Common;
using HmRec.Activities.Evaluation;
using HmRec.Activities.Features;
using HmRec.Activities.Ingest;
using HmRec.Activities.Recall;
using HmRec.Activities.Training;
using HmRec.Activities.Training.TwoTower;
using HmRec.Durable.Model;
using HmRec.Orchestrators.Pipeline;
using HmRec.Orchestrators.Training;

namespace HmRec.Orchestrators;

/// <summary>Registers every HmRec orchestrator and activity with a durable worker.</summary>
public static class PipelineRegistry
{
    /// <param name="registry">The registry to fill.</param>
    /// <param name="progress">Where long activities report their stages (a console, a log); optional.</param>
    /// <param name="raiseEvent">
    /// How the host tells an orchestration that a worker process it started has exited (the durable client's
    /// RaiseEventAsync); optional: without it the orchestration learns it by polling.
    /// </param>
    public static DurableTaskRegistry Register(DurableTaskRegistry registry, IProgress<string>? progress = null, RaiseEvent? raiseEvent = null) => registry
        .AddOrchestrator<PipelineOrchestrator>(PipelineOrchestrator.Name)
        .AddOrchestrator<TrainingOrchestrator>(TrainingOrchestrator.Name)
        .AddActivityFunc<IngestRequest, IngestSummary>(IngestActivity.Name, (context, request) => new IngestActivity(progress).RunAsync(request, context.CancellationToken))
        .AddActivityFunc<RunTask, StageOutput>(TextVectorsActivity.Name, (context, task) => Task.Run(() => TextVectorsActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<WeekTask, StageOutput>(RecallGlobalActivity.Name, (context, task) => Task.Run(() => RecallGlobalActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<ShardTask, StageOutput>(RecallShardActivity.Name, (context, task) => Task.Run(() => RecallShardActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<ShardTask, StageOutput>(MergeActivity.Name, (context, task) => Task.Run(() => MergeActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<ShardTask, StageOutput>(FeaturesActivity.Name, (context, task) => Task.Run(() => FeaturesActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<ReportTask, RecallReport>(RecallReportActivity.Name, (context, task) => Task.Run(() => RecallReportActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<WeekTask, StageOutput>(BaselinesActivity.Name, (context, task) => Task.Run(() => BaselinesActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<ShardTask, ModelSummary>(RankerActivity.Name, (context, task) => Task.Run(() => RankerActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<TwoTowerStart, TwoTowerJob>(TwoTowerActivities.StartName, (context, request) => Task.Run(() => TwoTowerActivities.Start(request, raiseEvent), context.CancellationToken))
        .AddActivityFunc<TwoTowerJob, TwoTowerStatus>(TwoTowerActivities.StatusName, (context, job) => Task.Run(() => TwoTowerActivities.Status(job), context.CancellationToken))
        .AddActivityFunc<TwoTowerJob, bool>(TwoTowerActivities.StopName, (context, job) => Task.Run(() => TwoTowerActivities.Stop(job), context.CancellationToken))
        .AddActivityFunc<EvaluationTask, EnsembleSummary>(EnsembleActivity.Name, (context, task) => Task.Run(() => EnsembleActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<EvaluationTask, SubmissionSummary>(SubmissionActivity.Name, (context, task) => Task.Run(() => SubmissionActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<ShardTask, ShardMetrics>(EvaluateShardActivity.Name, (context, task) => Task.Run(() => EvaluateShardActivity.Run(task), context.CancellationToken))
        .AddActivityFunc<EvaluationReduceTask, EvaluationReport>(EvaluationActivity.Name, (context, task) => Task.Run(() => EvaluationActivity.Run(task), context.CancellationToken));
}
