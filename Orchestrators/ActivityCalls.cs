namespace HmRec.Orchestrators;

/// <summary>Typed calls of the pipeline's activities from an orchestration: the name and the types come from the activity's definition.</summary>
public static class ActivityCalls
{
    /// <summary>
    /// Schedules <paramref name="activity"/> on <paramref name="input"/>, retried on transient failures
    /// (<see cref="PipelineOrchestrator.Retry"/>) unless <paramref name="options"/> says otherwise.
    /// </summary>
    public static Task<TOutput> CallAsync<TInput, TOutput>(this TaskOrchestrationContext context, ActivityDefinition<TInput, TOutput> activity, TInput input,
        TaskOptions? options = null) =>
        context.CallActivityAsync<TOutput>(activity.Name, input, options ?? PipelineOrchestrator.Retry);
}
