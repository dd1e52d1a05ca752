using HmRec.Activities.Common;
using HmRec.Activities.Evaluation;
using HmRec.Activities.Features;
using HmRec.Activities.Ingest;
using HmRec.Activities.Recall;
using HmRec.Activities.Report;
using HmRec.Activities.Training;
using HmRec.Activities.Training.TwoTower;
using HmRec.Orchestrators;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace HmRec.Functions;

/// <summary>One <c>[ActivityTrigger]</c> function per activity of <c>PipelineRegistry</c>, each delegating to <see cref="PipelineActivities"/>.</summary>
public sealed class ActivityFunctions(PipelineActivities activities)
{
    [Function(IngestActivity.Name)]
    public Task<IngestSummary> Ingest([ActivityTrigger] IngestRequest request, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.Ingest(request, instanceId, Raise(client));

    [Function(TextVectorsActivity.Name)]
    public Task<StageOutput> TextVectors([ActivityTrigger] RunTask task) => activities.TextVectors(task);

    [Function(RecallGlobalActivity.Name)]
    public Task<StageOutput> RecallGlobal([ActivityTrigger] WeekTask task) => activities.RecallGlobal(task);

    [Function(RecallShardActivity.Name)]
    public Task<StageOutput> RecallShard([ActivityTrigger] ShardTask task) => activities.RecallShard(task);

    [Function(MergeActivity.Name)]
    public Task<StageOutput> Merge([ActivityTrigger] ShardTask task) => activities.Merge(task);

    [Function(FeaturesActivity.Name)]
    public Task<StageOutput> Features([ActivityTrigger] ShardTask task) => activities.Features(task);

    [Function(RecallReportActivity.Name)]
    public Task<RecallReport> RecallReport([ActivityTrigger] ReportTask task) => activities.RecallReport(task);

    [Function(BaselinesActivity.Name)]
    public Task<StageOutput> Baselines([ActivityTrigger] WeekTask task) => activities.Baselines(task);

    [Function(RankerActivity.Name)]
    public Task<ModelSummary> Ranker([ActivityTrigger] ShardTask task, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.Ranker(task, instanceId, Raise(client));

    [Function(TwoTowerActivities.StartName)]
    public Task<TwoTowerJob> TwoTowerStart([ActivityTrigger] TwoTowerStart request) => activities.TwoTowerStart(request);

    [Function(TwoTowerActivities.StatusName)]
    public Task<TwoTowerStatus> TwoTowerStatus([ActivityTrigger] TwoTowerJob job, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.TwoTowerStatus(job, instanceId, Raise(client));

    [Function(TwoTowerActivities.StopName)]
    public Task<bool> TwoTowerStop([ActivityTrigger] TwoTowerJob job) => activities.TwoTowerStop(job);

    [Function(EnsembleActivity.Name)]
    public Task<EnsembleSummary> Ensemble([ActivityTrigger] EvaluationTask task) => activities.Ensemble(task);

    [Function(SubmissionActivity.Name)]
    public Task<SubmissionSummary> Submission([ActivityTrigger] EvaluationTask task) => activities.Submission(task);

    [Function(EvaluateShardActivity.Name)]
    public Task<ShardMetrics> EvaluateShard([ActivityTrigger] ShardTask task) => activities.EvaluateShard(task);

    [Function(EvaluationActivity.Name)]
    public Task<EvaluationReport> Evaluation([ActivityTrigger] EvaluationReduceTask task) => activities.Evaluation(task);

    [Function(RunReportActivity.Name)]
    public Task<string> RunReport([ActivityTrigger] RunReportTask task) => activities.RunReport(task);

    // The activity's progress reaches its orchestration's custom status as events (the function's instanceId binding
    // names the orchestration that scheduled it).
    private static RaiseEvent Raise(DurableTaskClient client) => (instance, name, payload) => client.RaiseEventAsync(instance, name, payload);
}
