using HmRec.Activities.Recall;
using HmRec.Orchestrators.Training;
using Microsoft.DurableTask;

namespace HmRec.Functions;

/// <summary>One <c>[OrchestrationTrigger]</c> function per orchestrator of <c>PipelineRegistry</c>, each delegating to the shared class.</summary>
public static class Orchestrations
{
    [Function(PipelineOrchestrator.Name)]
    public static Task<PipelineResult> Pipeline([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new PipelineOrchestrator().RunAsync(context, context.GetInput<PipelineRequest>()!);

    [Function(TrainingOrchestrator.Name)]
    public static Task<TrainingResult> Training([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new TrainingOrchestrator().RunAsync(context, context.GetInput<WeekTask>()!);
}
