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
    /// <param name="storage">When runs live in blob storage: each activity pulls its run before and pushes it after.</param>
    public static DurableTaskRegistry Register(DurableTaskRegistry registry, IProgress<string>? progress = null, RaiseEvent? raiseEvent = null, RunStorage? storage = null)
    {
        Func<TaskActivityContext, TIn, Task<TOut>> W<TIn, TOut>(Func<TaskActivityContext, TIn, Task<TOut>> activity, bool last = false) =>
            storage is null ? activity : (context, input) => storage.AroundAsync(input, () => activity(context, input), last, context.CancellationToken);

        return registry
            .AddOrchestrator<PipelineOrchestrator>(PipelineOrchestrator.Name)
            .AddOrchestrator<TrainingOrchestrator>(TrainingOrchestrator.Name)
            .AddActivityFunc<IngestRequest, IngestSummary>(IngestActivity.Name, W<IngestRequest, IngestSummary>((context, request) => new IngestActivity(progress).RunAsync(request, context.CancellationToken)))
            .AddActivityFunc<RunTask, StageOutput>(TextVectorsActivity.Name, W<RunTask, StageOutput>((context, task) => Task.Run(() => TextVectorsActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<WeekTask, StageOutput>(RecallGlobalActivity.Name, W<WeekTask, StageOutput>((context, task) => Task.Run(() => RecallGlobalActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<ShardTask, StageOutput>(RecallShardActivity.Name, W<ShardTask, StageOutput>((context, task) => Task.Run(() => RecallShardActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<ShardTask, StageOutput>(MergeActivity.Name, W<ShardTask, StageOutput>((context, task) => Task.Run(() => MergeActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<ShardTask, StageOutput>(FeaturesActivity.Name, W<ShardTask, StageOutput>((context, task) => Task.Run(() => FeaturesActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<ReportTask, RecallReport>(RecallReportActivity.Name, W<ReportTask, RecallReport>((context, task) => Task.Run(() => RecallReportActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<WeekTask, StageOutput>(BaselinesActivity.Name, W<WeekTask, StageOutput>((context, task) => Task.Run(() => BaselinesActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<ShardTask, ModelSummary>(RankerActivity.Name, W<ShardTask, ModelSummary>((context, task) => Task.Run(() => RankerActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<TwoTowerStart, TwoTowerJob>(TwoTowerActivities.StartName, W<TwoTowerStart, TwoTowerJob>((context, request) => Task.Run(() => TwoTowerActivities.Start(request, raiseEvent), context.CancellationToken)))
            .AddActivityFunc<TwoTowerJob, TwoTowerStatus>(TwoTowerActivities.StatusName, W<TwoTowerJob, TwoTowerStatus>((context, job) => Task.Run(() => TwoTowerActivities.Status(job), context.CancellationToken)))
            .AddActivityFunc<TwoTowerJob, bool>(TwoTowerActivities.StopName, W<TwoTowerJob, bool>((context, job) => Task.Run(() => TwoTowerActivities.Stop(job), context.CancellationToken)))
            .AddActivityFunc<EvaluationTask, EnsembleSummary>(EnsembleActivity.Name, W<EvaluationTask, EnsembleSummary>((context, task) => Task.Run(() => EnsembleActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<EvaluationTask, SubmissionSummary>(SubmissionActivity.Name, W<EvaluationTask, SubmissionSummary>((context, task) => Task.Run(() => SubmissionActivity.Run(task), context.CancellationToken), last: true))
            .AddActivityFunc<ShardTask, ShardMetrics>(EvaluateShardActivity.Name, W<ShardTask, ShardMetrics>((context, task) => Task.Run(() => EvaluateShardActivity.Run(task), context.CancellationToken)))
            .AddActivityFunc<EvaluationReduceTask, EvaluationReport>(EvaluationActivity.Name, W<EvaluationReduceTask, EvaluationReport>((context, task) => Task.Run(() => EvaluationActivity.Run(task), context.CancellationToken)));
    }
}
