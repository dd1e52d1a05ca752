using Microsoft.Extensions.Logging.Abstractions;

namespace HmRec.Orchestrators;

/// <summary>
/// How a host runs any activity of <see cref="Activities.PipelineActivityList"/>, the same way in both hosts (the
/// standalone worker through <see cref="PipelineRegistry"/>, the Functions app through its wrappers): first it checks
/// that the activity's run has not ended (a terminated run's queued activities return at once); with blob storage it
/// pulls the run files the activity reads and pushes what it wrote; its progress goes to the host and, as events, to
/// the orchestration; stage outputs and models get their start time.
/// </summary>
/// <param name="progress">Where activities report their progress (a console, a log); optional.</param>
/// <param name="client">
/// The task hub's client: activities raise progress and the network's end on orchestrations through it, and it tells
/// whether a run has ended. Optional (a Functions wrapper gives its own per call).
/// </param>
/// <param name="storage">When runs live in blob storage: each activity pulls its run before and pushes it after.</param>
/// <param name="stopping">Signalled when the host stops: activities not yet begun do not start.</param>
/// <param name="gpuJob">
/// When set, the two-tower network trains as an execution of this Container Apps job (runs must then live in blob
/// storage) instead of a local worker process.
/// </param>
/// <param name="loggers">Where each activity's start, end or failure is logged (category <c>HmRec.Activities.{name}</c>); optional.</param>
public sealed class PipelineActivities(IProgress<string>? progress = null, DurableTaskClient? client = null, RunStorage? storage = null,
    CancellationToken stopping = default, ContainerAppsJob? gpuJob = null, ILoggerFactory? loggers = null)
{
    private readonly ILoggerFactory loggers = loggers ?? NullLoggerFactory.Instance;

    /// <summary>
    /// Runs <paramref name="activity"/> on <paramref name="input"/> for the orchestration <paramref name="instanceId"/> (when
    /// known), with <paramref name="caller"/> as the task hub's client when the host has none of its own.
    /// </summary>
    public async Task<TOutput> RunAsync<TInput, TOutput>(ActivityDefinition<TInput, TOutput> activity, TInput input, string? instanceId = null,
        DurableTaskClient? caller = null)
    {
        var hub = caller ?? client;
        var logger = loggers.CreateLogger("HmRec.Activities." + activity.Name);
        if (instanceId is not null && hub is not null)
        {
            await ThrowIfRunEndedAsync(hub, instanceId, activity.Name, logger).ConfigureAwait(false);
        }
        RaiseEvent? raise = hub is null ? null : (instance, name, payload) => hub.RaiseEventAsync(instance, name, payload, CancellationToken.None);
        var host = new ActivityHost(ActivityReporter.For(activity.Name, instanceId, progress, raise), raise, gpuJob, stopping, storage?.Mirror.Client);
        var started = DateTime.UtcNow;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        PipelineLog.ActivityStarted(logger, activity.Name, instanceId ?? "-");
        TOutput result;
        try
        {
            result = await (storage is not null && activity.RunOf(host, input) is { } run
                ? storage.AroundAsync(run, activity.ReadSet(input), () => activity.Run(host, input), activity.Last, stopping)
                : activity.Run(host, input)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            PipelineLog.ActivityFailed(logger, e, activity.Name, instanceId ?? "-", clock.Elapsed.TotalSeconds);
            throw;
        }
        PipelineLog.ActivityFinished(logger, activity.Name, instanceId ?? "-", clock.Elapsed.TotalSeconds);
        return result switch
        {
            StageOutput output => (TOutput)(object)(output with { Started = started }),
            ModelSummary model => (TOutput)(object)(model with { Started = started }),
            _ => result,
        };
    }

    /// <summary>
    /// Throws <see cref="RunEndedException"/> when the pipeline that scheduled this activity (through
    /// <paramref name="instanceId"/>, its own or its training sub-orchestration's) has ended or is gone, so that a
    /// terminated run's queued activities return at once instead of working for nobody. When the status cannot be read
    /// in 10 s, the activity works as usual.
    /// </summary>
    private async Task ThrowIfRunEndedAsync(DurableTaskClient hub, string instanceId, string activity, ILogger logger)
    {
        var pipeline = instanceId.EndsWith(Training.TrainingOrchestrator.InstanceSuffix, StringComparison.Ordinal)
            ? instanceId[..^Training.TrainingOrchestrator.InstanceSuffix.Length]
            : instanceId;
        OrchestrationMetadata? state;
        try
        {
            state = await hub.GetInstanceAsync(pipeline, getInputsAndOutputs: false, stopping).WaitAsync(TimeSpan.FromSeconds(10), stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return;
        }
        if (state is null || state.IsCompleted)
        {
            PipelineLog.ActivitySkipped(logger, activity, pipeline, state?.RuntimeStatus.ToString() ?? "purged");
            throw new RunEndedException($"Run {pipeline} has ended ({state?.RuntimeStatus.ToString() ?? "purged"}): this activity did no work.");
        }
    }
}

/// <summary>An activity of a run that has already ended was skipped.</summary>
public sealed class RunEndedException(string message) : InvalidOperationException(message);
