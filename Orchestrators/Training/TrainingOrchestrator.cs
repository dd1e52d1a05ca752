namespace HmRec.Orchestrators.Training;

/// <summary>
/// Stage 4: the four LightGBM variants, each its own activity, and the two-tower network on the GPU worker
/// (when enabled), in parallel; then the ensembles of those that trained. Reports its progress as custom status. Called by the pipeline as a sub-orchestration.
/// </summary>
public sealed class TrainingOrchestrator : TaskOrchestrator<WeekTask, TrainingResult>
{
    public const string Name = "Training";

    /// <summary>The end of the sub-orchestration's instance id, after its pipeline's.</summary>
    public const string InstanceSuffix = ":training";

    /// <summary>The activities of this stage whose progress the pipeline shows (<see cref="ActivityProgress"/>).</summary>
    public static readonly string[] DetailFrom = [RankerActivity.Name, TwoTowerActivities.StatusName];

    /// <summary>The instance id of the training sub-orchestration of pipeline <paramref name="pipelineInstanceId"/>.</summary>
    public static string InstanceIdOf(string pipelineInstanceId) => pipelineInstanceId + InstanceSuffix;

    public override async Task<TrainingResult> RunAsync(TaskOrchestrationContext context, WeekTask request)
    {
        // The network first: its start is a short activity that launches the worker process, and queued behind the
        // rankers it would wait for them (a process trains one ranker at a time, the others holding their slots).
        List<Func<Task<ModelSummary>>> training = [];
        var network = request.Options.TwoTower.Enabled;
        if (network)
        {
            training.Add(() => TwoTowerDispatch.RunAsync(context, request));
        }
        training.AddRange(RankerVariants.All.Select(v => (Func<Task<ModelSummary>>)(() =>
            context.CallAsync(RankerActivity.Definition, new RankerTask(request.RunDirectory, request.Week, request.Options, v)))));
        var status = new StageStatus(context);
        var trained = await PipelineOrchestrator.WhenAllWithProgress(status, "training", training);
        // Reported rankers first, as before.
        List<ModelSummary> models = network ? [.. trained.Skip(1), trained[0]] : trained;
        status.Stage("ensemble", 0, 1);
        var ensemble = await context.CallAsync(EnsembleActivity.Definition,
            new EvaluationTask(request.RunDirectory, request.Options, TrainedModels.Names(request.Options)));
        status.Stage("done", 1, 1);
        return new TrainingResult(models, ensemble);
    }
}
