using HmRec.Activities.Common;
using HmRec.Activities.Evaluation;
using HmRec.Activities.Features;
using HmRec.Activities.Ingest;
using HmRec.Activities.Recall;
using HmRec.Activities.Report;
using HmRec.Activities.Training;
using HmRec.Activities.Training.TwoTower;
using HmRec.Orchestrators.Pipeline;

namespace HmRec.Orchestrators;

/// <summary>
/// Every activity of the pipeline as a typed method: what both hosts call, the standalone host through
/// <see cref="PipelineRegistry"/> and the Functions app through its <c>[ActivityTrigger]</c> wrappers. The CPU-bound
/// stages run on the thread pool, so the host's dispatcher threads stay free.
/// </summary>
/// <param name="progress">Where long activities report their stages (a console, a log); optional.</param>
/// <param name="raiseEvent">
/// How the host tells an orchestration that a worker process it started has exited (the durable client's
/// RaiseEventAsync); optional: without it the orchestration learns it by polling.
/// </param>
/// <param name="storage">When runs live in blob storage: each activity pulls its run before and pushes it after.</param>
/// <param name="stopping">Signalled when the host stops: activities not yet begun do not start.</param>
/// <param name="gpuJob">
/// When set, the two-tower network trains as an execution of this Container Apps job (runs must then live in blob
/// storage) instead of a local worker process.
/// </param>
public sealed class PipelineActivities(IProgress<string>? progress = null, RaiseEvent? raiseEvent = null, RunStorage? storage = null,
    CancellationToken stopping = default, ContainerAppsJob? gpuJob = null)
{
    /// <summary>
    /// How the host learns that a pipeline instance has ended (terminated, failed, completed or purged): the durable
    /// client's status query. Optional: without it activities always do their work.
    /// </summary>
    public Func<string, CancellationToken, Task<bool>>? RunEnded { get; init; }

    /// <summary>
    /// Throws <see cref="RunEndedException"/> when the pipeline that scheduled this activity (through
    /// <paramref name="instanceId"/>, its own or its training sub-orchestration's) has ended, so that a terminated run's
    /// queued activities return at once instead of working for nobody. When the status cannot be read in 10 s, the
    /// activity works as usual.
    /// </summary>
    public async Task ThrowIfRunEndedAsync(string instanceId)
    {
        if (RunEnded is not { } ended)
        {
            return;
        }
        var pipeline = instanceId.EndsWith(Training.TrainingOrchestrator.InstanceSuffix, StringComparison.Ordinal)
            ? instanceId[..^Training.TrainingOrchestrator.InstanceSuffix.Length]
            : instanceId;
        bool hasEnded;
        try
        {
            hasEnded = await ended(pipeline, stopping).WaitAsync(TimeSpan.FromSeconds(10), stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return;
        }
        if (hasEnded)
        {
            throw new RunEndedException($"Run {pipeline} has ended (terminated, failed or purged): this activity did no work.");
        }
    }

    /// <summary>Ingest; like the ranker and the network's status, it reports its progress to the host and the orchestration.</summary>
    /// <param name="request">The files and options.</param>
    /// <param name="instanceId">The orchestration that scheduled it, told of the progress (<see cref="ActivityProgress"/>); optional.</param>
    /// <param name="raise">How to raise that event, when not the host's (<c>raiseEvent</c>).</param>
    public Task<IngestSummary> Ingest(IngestRequest request, string? instanceId = null, RaiseEvent? raise = null) => Around(IngestActivity.Name, request,
        () => new IngestActivity(Reporter(IngestActivity.Name, instanceId, raise)).RunAsync(request, stopping));

    public Task<StageOutput> TextVectors(RunTask task) => Around(TextVectorsActivity.Name, task, () => TextVectorsActivity.Run(task));

    public Task<StageOutput> RecallGlobal(WeekTask task) => Around(RecallGlobalActivity.Name, task, () => RecallGlobalActivity.Run(task));

    public Task<StageOutput> RecallShard(ShardTask task) => Around(RecallShardActivity.Name, task, () => RecallShardActivity.Run(task));

    public Task<StageOutput> Merge(ShardTask task) => Around(MergeActivity.Name, task, () => MergeActivity.Run(task));

    public Task<StageOutput> Features(ShardTask task) => Around(FeaturesActivity.Name, task, () => FeaturesActivity.Run(task));

    public Task<RecallReport> RecallReport(ReportTask task) => Around(RecallReportActivity.Name, task, () => RecallReportActivity.Run(task));

    public Task<StageOutput> Baselines(WeekTask task) => Around(BaselinesActivity.Name, task, () => BaselinesActivity.Run(task));

    /// <summary>A LightGBM ranker (<see cref="RankerActivity"/>), reporting its rounds.</summary>
    /// <param name="task">The variant and run.</param>
    /// <param name="instanceId">The orchestration that scheduled it, told of the progress (<see cref="ActivityProgress"/>); optional.</param>
    /// <param name="raise">How to raise that event, when not the host's (<c>raiseEvent</c>).</param>
    public Task<ModelSummary> Ranker(ShardTask task, string? instanceId = null, RaiseEvent? raise = null) => Around(RankerActivity.Name, task,
        () => RankerActivity.Run(task, Reporter(RankerActivity.Name, instanceId, raise)));

    // The Container Apps job reads and writes the run's blobs itself: its activities need no local copy of the run.
    public Task<TwoTowerJob> TwoTowerStart(TwoTowerStart request) => gpuJob is not null
        ? gpuJob.StartAsync(request, stopping)
        : Around(TwoTowerActivities.StartName, request, () => TwoTowerActivities.Start(request, raiseEvent));

    /// <summary>Whether the network's worker still runs, reporting its last epoch.</summary>
    /// <param name="job">The worker.</param>
    /// <param name="instanceId">The orchestration that scheduled it, told of the progress (<see cref="ActivityProgress"/>); optional.</param>
    /// <param name="raise">How to raise that event, when not the host's (<c>raiseEvent</c>).</param>
    public async Task<TwoTowerStatus> TwoTowerStatus(TwoTowerJob job, string? instanceId = null, RaiseEvent? raise = null)
    {
        if (job.Execution is not null)
        {
            return await RemoteJob(job).StatusAsync(job, stopping);
        }
        var status = await Around(TwoTowerActivities.StatusName, job, () => TwoTowerActivities.Status(job));
        ReportEpoch(job, Reporter(TwoTowerActivities.StatusName, instanceId, raise));
        return status;
    }

    /// <summary>The network's last finished epoch (its training log grows by a line per epoch), as progress.</summary>
    private static void ReportEpoch(TwoTowerJob job, IProgress<string>? progress)
    {
        var path = Path.Combine(job.OutputDirectory, Shared.Data.ModelFiles.TrainingLog);
        try
        {
            if (progress is not null && File.Exists(path) && File.ReadLines(path).Skip(1).LastOrDefault()?.Split(',') is [var epoch, _, var map, ..])
            {
                var shown = double.TryParse(map, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                    ? value.ToString("F5", System.Globalization.CultureInfo.InvariantCulture) : map;
                progress.Report($"{TwoTowerActivities.Model}: epoch {epoch}, validation MAP@12 {shown}");
            }
        }
        catch (IOException)
        {
            // The worker is writing the log at this moment; the next poll reads it.
        }
    }

    public Task<bool> TwoTowerStop(TwoTowerJob job) => job.Execution is not null
        ? RemoteJob(job).StopAsync(job, stopping)
        : Around(TwoTowerActivities.StopName, job, () => TwoTowerActivities.Stop(job));

    public Task<EnsembleSummary> Ensemble(EvaluationTask task) => Around(EnsembleActivity.Name, task, () => EnsembleActivity.Run(task));

    public Task<ShardMetrics> EvaluateShard(ShardTask task) => Around(EvaluateShardActivity.Name, task, () => EvaluateShardActivity.Run(task));

    public Task<EvaluationReport> Evaluation(EvaluationReduceTask task) => Around(EvaluationActivity.Name, task, () => EvaluationActivity.Run(task));

    public Task<SubmissionSummary> Submission(EvaluationTask task) => Around(SubmissionActivity.Name, task, () => SubmissionActivity.Run(task));

    /// <summary>The last activity of a run: with blob storage, its local scratch copy is deleted after the push.</summary>
    public Task<string> RunReport(RunReportTask task) => Around(RunReportActivity.Name, task, () => RunReportActivity.Run(task), last: true);

    private IProgress<string>? Reporter(string activity, string? instanceId, RaiseEvent? raise) =>
        ActivityReporter.For(activity, instanceId, progress, raise ?? raiseEvent);

    private ContainerAppsJob RemoteJob(TwoTowerJob job) => gpuJob
        ?? throw new InvalidOperationException($"The two-tower job of {job.RunDirectory} is Container Apps execution {job.Execution}, but this host has no Container Apps backend (HMREC_TWO_TOWER_BACKEND=containerapps and HMREC_GPU_JOB_ID).");

    private Task<T> Around<T>(string name, object input, Func<T> work, bool last = false) => Around(name, input, () => Task.Run(work, stopping), last);

    /// <summary>Runs an activity, with blob storage between a pull and a push of its run; stage outputs and models get their start time.</summary>
    private async Task<T> Around<T>(string name, object input, Func<Task<T>> work, bool last = false)
    {
        var started = DateTime.UtcNow;
        var result = await (storage is null ? work() : storage.AroundAsync(name, input, work, last, stopping));
        return result switch
        {
            StageOutput output => (T)(object)(output with { Started = started }),
            ModelSummary model => (T)(object)(model with { Started = started }),
            _ => result,
        };
    }
}

/// <summary>An activity of a run that has already ended was skipped.</summary>
public sealed class RunEndedException(string message) : InvalidOperationException(message);
