namespace HmRec.Orchestrators.Pipeline;

/// <summary>
/// What a long activity is doing, raised as an external event on the run's orchestration (at most every
/// <see cref="Every"/> per activity), which shows it as its custom status's <see cref="PipelineStatus.Detail"/>: so a
/// monitor of the task hub sees a ranker's rounds, not only "training 0/1", during a long full-scale stage.
/// </summary>
/// <param name="Activity">The activity's name (the orchestration shows only those of the stage it is in).</param>
/// <param name="Message">The progress, as the terminal shows it.</param>
public sealed record ActivityProgress(string Activity, string Message)
{
    public const string EventName = "ActivityProgress";

    /// <summary>The least time between two events of one activity: each event costs a replay of the orchestration.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The run's orchestration for an activity scheduled by <paramref name="instanceId"/>: the pipeline itself, or the
    /// pipeline whose training sub-orchestration it is (<see cref="Training.TrainingOrchestrator.InstanceIdOf"/>).
    /// </summary>
    public static string RunInstanceOf(string instanceId) =>
        instanceId.EndsWith(Training.TrainingOrchestrator.InstanceSuffix, StringComparison.Ordinal)
            ? instanceId[..^Training.TrainingOrchestrator.InstanceSuffix.Length]
            : instanceId;
}
