using HmRec.Activities.Evaluation;
using HmRec.Activities.Recall;
using HmRec.Activities.Training;
using Microsoft.DurableTask;
using HmRec.Orchestrators.Pipeline;

namespace HmRec.Orchestrators.Training;

/// <summary>
/// Stage 4: the four LightGBM variants, each its own activity, and the two-tower network on the GPU worker
/// (when enabled), in parallel; then the ensembles of those that trained. Reports its progress as custom status. Called by the pipeline as a sub-orchestration.
/// </summary>
public sealed class TrainingOrchestrator : TaskOrchestrator<ShardTask, TrainingResult>
{
    public const string Name = "Training";

    public override async Task<TrainingResult> RunAsync(TaskOrchestrationContext context, ShardTask request)
    {
        List<Func<Task<ModelSummary>>> training =
        [
            .. RankerVariants.All.Select(v => (Func<Task<ModelSummary>>)(() => context.CallActivityAsync<ModelSummary>(RankerActivity.Name, request with { Strategy = v }, PipelineOrchestrator.Retry))),
        ];
        if (request.Options.TwoTower.Enabled)
        {
            training.Add(() => TwoTowerDispatch.RunAsync(context, request));
        }
        var models = await PipelineOrchestrator.WhenAllWithProgress(context, "training", training);
        context.SetCustomStatus(new PipelineStatus("ensemble", 0, 1));
        var ensemble = await context.CallActivityAsync<EnsembleSummary>(EnsembleActivity.Name,
            new EvaluationTask(request.RunDirectory, request.Options, TrainedModels.Names(request.Options)), PipelineOrchestrator.Retry);
        context.SetCustomStatus(new PipelineStatus("done", 1, 1));
        return new TrainingResult(models, ensemble);
    }
}
