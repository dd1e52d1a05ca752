using HmRec.Activities.Common;
using HmRec.Activities.Evaluation;
using HmRec.Activities.Features;
using HmRec.Activities.Ingest;
using HmRec.Activities.Recall;
using HmRec.Activities.Report;
using HmRec.Activities.Training;
using HmRec.Activities.Training.TwoTower;
using HmRec.Orchestrators;
using Microsoft.DurableTask.Client;

namespace HmRec.Functions;

/// <summary>
/// One <c>[ActivityTrigger]</c> function per activity of <c>PipelineActivityList</c> (the Functions SDK needs a method per
/// function; a test checks that these and the list agree), each running the activity's definition through
/// <see cref="PipelineActivities"/> with the function's durable client and the instance that scheduled it.
/// </summary>
public sealed class ActivityFunctions(PipelineActivities activities)
{
    [Function(IngestActivity.Name)]
    public Task<IngestSummary> Ingest([ActivityTrigger] IngestRequest input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(IngestActivity.Definition, input, instanceId, client);

    [Function(TextVectorsActivity.Name)]
    public Task<StageOutput> TextVectors([ActivityTrigger] RunTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(TextVectorsActivity.Definition, input, instanceId, client);

    [Function(RecallGlobalActivity.Name)]
    public Task<StageOutput> RecallGlobal([ActivityTrigger] WeekTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(RecallGlobalActivity.Definition, input, instanceId, client);

    [Function(RecallShardActivity.Name)]
    public Task<StageOutput> RecallShard([ActivityTrigger] RecallShardTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(RecallShardActivity.Definition, input, instanceId, client);

    [Function(MergeActivity.Name)]
    public Task<StageOutput> Merge([ActivityTrigger] ShardTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(MergeActivity.Definition, input, instanceId, client);

    [Function(FeaturesActivity.Name)]
    public Task<StageOutput> Features([ActivityTrigger] ShardTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(FeaturesActivity.Definition, input, instanceId, client);

    [Function(RecallReportActivity.Name)]
    public Task<RecallReport> RecallReport([ActivityTrigger] ReportTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(RecallReportActivity.Definition, input, instanceId, client);

    [Function(BaselinesActivity.Name)]
    public Task<StageOutput> Baselines([ActivityTrigger] WeekTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(BaselinesActivity.Definition, input, instanceId, client);

    [Function(RankerActivity.Name)]
    public Task<ModelSummary> Ranker([ActivityTrigger] RankerTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(RankerActivity.Definition, input, instanceId, client);

    [Function(TwoTowerActivities.StartName)]
    public Task<TwoTowerJob> TwoTowerStart([ActivityTrigger] TwoTowerStart input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(TwoTowerActivities.StartDefinition, input, instanceId, client);

    [Function(TwoTowerActivities.StatusName)]
    public Task<TwoTowerStatus> TwoTowerStatus([ActivityTrigger] TwoTowerJob input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(TwoTowerActivities.StatusDefinition, input, instanceId, client);

    [Function(TwoTowerActivities.StopName)]
    public Task<bool> TwoTowerStop([ActivityTrigger] TwoTowerJob input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(TwoTowerActivities.StopDefinition, input, instanceId, client);

    [Function(HmRec.Activities.Champion.PromotionActivity.Name)]
    public Task<HmRec.Activities.Champion.PromotionDecision> Promote([ActivityTrigger] HmRec.Activities.Champion.PromotionTask input, [DurableClient] DurableTaskClient client,
        string instanceId) =>
        activities.RunAsync(HmRec.Activities.Champion.PromotionActivity.Definition, input, instanceId, client);

    [Function(EnsembleActivity.Name)]
    public Task<EnsembleSummary> Ensemble([ActivityTrigger] EvaluationTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(EnsembleActivity.Definition, input, instanceId, client);

    [Function(SubmissionActivity.Name)]
    public Task<SubmissionSummary> Submission([ActivityTrigger] EvaluationTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(SubmissionActivity.Definition, input, instanceId, client);

    [Function(EvaluateShardActivity.Name)]
    public Task<ShardMetrics> EvaluateShard([ActivityTrigger] ModelShardTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(EvaluateShardActivity.Definition, input, instanceId, client);

    [Function(EvaluationActivity.Name)]
    public Task<EvaluationReport> Evaluation([ActivityTrigger] EvaluationReduceTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(EvaluationActivity.Definition, input, instanceId, client);

    [Function(RunReportActivity.Name)]
    public Task<string> RunReport([ActivityTrigger] RunReportTask input, [DurableClient] DurableTaskClient client, string instanceId) =>
        activities.RunAsync(RunReportActivity.Definition, input, instanceId, client);
}
