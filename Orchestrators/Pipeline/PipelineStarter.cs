using System.Text.Json;
using System.Text.RegularExpressions;
using HmRec.Shared.Data;

namespace HmRec.Orchestrators.Pipeline;

/// <summary>Where a host keeps runs and reads input, and what it allows a request: what <see cref="PipelineStarter"/> needs.</summary>
/// <param name="Store">The local folder of data, runs (or their scratch copies) and the generated dataset.</param>
/// <param name="DataConnection">HMREC_DATA_CONNECTION: the data of runs started without <c>data</c>.</param>
/// <param name="Storage">When runs live in blob storage.</param>
/// <param name="Limits">The limits on a start request.</param>
/// <param name="Roots">The folders a start request's paths may name.</param>
public sealed record StarterSettings(string Store, string? DataConnection, RunStorage? Storage, HostLimits Limits, DataRoots Roots)
{
    /// <summary>Where run folders live on this machine: the store, or its scratch folder when runs live in blob storage.</summary>
    public string RunsRoot => RunPreparation.RunsRoot(Store, Storage);

    /// <summary>The options of the weekly retrain's runs (the defaults unless a host says otherwise).</summary>
    public PipelineOptions RetrainOptions { get; init; } = new();

    /// <summary>
    /// The retrain's options from the setting HMREC_RETRAIN_OPTIONS (option overrides as a start's JSON body names them;
    /// null or empty: the defaults), validated; a bad value fails naming the setting and the option.
    /// </summary>
    public static PipelineOptions ParseRetrainOptions(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new PipelineOptions();
        }
        try
        {
            var (options, data) = PipelineStartBody.Parse(json);
            return data is null
                ? options
                : throw new ArgumentException("'data' is not one of its options: the retrain reads HMREC_DATA_CONNECTION, else the default dataset.");
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new ArgumentException($"HMREC_RETRAIN_OPTIONS: {e.Message}", e);
        }
    }
}

/// <summary>What a host answers: the HTTP status, the run's id when one started, or the error (one line), and a Retry-After.</summary>
public sealed record StartOutcome(int StatusCode, string? RunId = null, string? Error = null, string? RetryAfter = null);

/// <summary>
/// The one front door of both hosts (<c>hmrec serve</c> and the Functions app): a start request is read (bounded),
/// parsed, checked against the limits, prepared and scheduled here; the weekly retrain follows one rule; the health
/// probe and a run's report are found the same way. The hosts only turn the outcomes into HTTP answers.
/// </summary>
public sealed class PipelineStarter(DurableTaskClient client, StarterSettings settings)
{
    public StarterSettings Settings => settings;

    /// <summary>
    /// Starts a run from a request body (option overrides and <c>data</c>, see <see cref="PipelineStartBody"/>): 202 with its
    /// id, or 400 (a bad body, option, path or limit), 413 (a body over the limit) or 429 (too many runs in progress),
    /// each naming what was wrong. Nothing is scheduled unless every check passed.
    /// </summary>
    public async Task<StartOutcome> StartAsync(Stream body, CancellationToken cancellationToken)
    {
        var limits = settings.Limits;
        string? text;
        try
        {
            text = await ReadAsync(body, limits.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return new StartOutcome(400, Error: "The request body could not be read.");
        }
        if (text is null)
        {
            return new StartOutcome(413, Error: string.Create(CultureInfo.InvariantCulture,
                $"The request body is larger than the limit of {limits.MaxRequestBodyBytes:N0} bytes ({HostLimits.MaxRequestBodyBytesSetting})."));
        }
        PipelineOptions options;
        string? data;
        try
        {
            (options, data) = PipelineStartBody.Parse(text);
            PipelineLimits.CheckActivities(options, limits.MaxActivitiesPerRun);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return new StartOutcome(400, Error: e.Message);
        }
        if (await PipelineLimits.RunsInProgressRefusalAsync(client, limits.MaxRunsInProgress, cancellationToken).ConfigureAwait(false) is { } busy)
        {
            return new StartOutcome(429, Error: busy, RetryAfter: "60");
        }
        PipelineRequest run;
        try
        {
            run = await PrepareAsync(data, options, null, Guid.NewGuid().ToString("N")[..12], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InputDataException or ArgumentException)
        {
            return new StartOutcome(400, Error: e.Message);
        }
        await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, run, new StartOrchestrationOptions(run.RunId), cancellationToken).ConfigureAwait(false);
        return new StartOutcome(202, run.RunId, RetryAfter: "10");
    }

    /// <summary>
    /// The weekly retrain rule: the occurrence at <paramref name="occurrenceUtc"/> starts the pipeline (the retrain options,
    /// HMREC_DATA_CONNECTION or the generated dataset) under <see cref="RetrainInstance.Id"/>, unless that id exists in
    /// the task hub, an earlier retrain still runs, or (with <paramref name="claim"/>) another host claimed the
    /// occurrence first. Returns the id started, or null.
    /// </summary>
    public async Task<string?> RetrainAsync(DateTime occurrenceUtc, Func<string, CancellationToken, Task<bool>>? claim, CancellationToken cancellationToken)
    {
        var id = RetrainInstance.Id(occurrenceUtc);
        if (await client.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false) is not null || await AnotherRetrainRunsAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        if (claim is not null && !await claim(id, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var run = await PrepareAsync(null, settings.RetrainOptions, id, null, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, run, new StartOrchestrationOptions(id), cancellationToken).ConfigureAwait(false);
            return id;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Another host started this week in between (that is the once-only guarantee at work); anything else is rethrown.
            if (await client.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false) is not null)
            {
                return null;
            }
            throw;
        }
    }

    private async Task<bool> AnotherRetrainRunsAsync(CancellationToken cancellationToken)
    {
        var running = client.GetAllInstancesAsync(new OrchestrationQuery
        {
            InstanceIdPrefix = RetrainInstance.Prefix,
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
            PageSize = 1,
        });
        await foreach (var _ in running.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            return true;
        }
        return false;
    }

    /// <summary>Prepares a run (see <see cref="RunPreparation.PrepareAsync"/>) with this host's roots and activity limit.</summary>
    public async Task<PipelineRequest> PrepareAsync(string? data, PipelineOptions options, string? runId, string? suffix, CancellationToken cancellationToken)
    {
        var run = await RunPreparation.PrepareAsync(data, options, settings.Store, settings.DataConnection, settings.Storage, suffix, runId, cancellationToken, settings.Roots)
            .ConfigureAwait(false);
        return new PipelineRequest(run.RunId, run.Inputs, run.RunDirectory, options, settings.Limits.MaxActivitiesPerRun);
    }

    /// <summary>True when the task hub's storage answers a status query within <paramref name="timeout"/>.</summary>
    public async Task<bool> StorageAnswersAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetInstanceAsync("health-probe", getInputsAndOutputs: false, cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="id"/> can name a run folder: letters, digits, '-', '_' and '.', not starting with '.'.</summary>
    public static bool IsRunId(string id) => RunIds.IsMatch(id);

    /// <summary>
    /// The path of run <paramref name="id"/>'s report (fetched from blob storage when runs live there): 200 with the path,
    /// 400 for an id that cannot name a run, 404 while the run has none.
    /// </summary>
    public Task<(int StatusCode, string? Path, string? Error)> ReportAsync(string id, CancellationToken cancellationToken) =>
        RunFileAsync(id, $"eval/{RunReport.FileName}", "report", cancellationToken);

    /// <summary>The path of run <paramref name="id"/>'s submission.csv, as <see cref="ReportAsync"/> finds the report.</summary>
    public Task<(int StatusCode, string? Path, string? Error)> SubmissionAsync(string id, CancellationToken cancellationToken) =>
        RunFileAsync(id, "submission.csv", "submission", cancellationToken);

    /// <summary>
    /// The path of run <paramref name="id"/>'s file <paramref name="relative"/> (to its folder; <paramref name="what"/> names it
    /// in the 404), as <see cref="ReportAsync"/> finds the report.
    /// </summary>
    public async Task<(int StatusCode, string? Path, string? Error)> RunFileAsync(string id, string relative, string what, CancellationToken cancellationToken)
    {
        if (!IsRunId(id))
        {
            return (400, null, $"'{(id.Length > 200 ? id[..200] + "..." : id)}' is not a run id (letters, digits, '-', '_' and '.' only).");
        }
        var run = Path.Combine(settings.RunsRoot, "runs", id);
        var path = Path.Combine(run, relative);
        if (settings.Storage is { } storage)
        {
            await storage.Mirror.PullAsync(RunStorage.Prefix(run), run, r => r == relative, cancellationToken).ConfigureAwait(false);
        }
        return File.Exists(path) ? (200, path, null) : (404, null, $"Run {id} has no {what} (yet): it is written when the run ends.");
    }

    /// <summary>The body as text, or null when it is longer than <paramref name="max"/> bytes (read no further than that).</summary>
    private static async Task<string?> ReadAsync(Stream body, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static readonly Regex RunIds = new(@"^(?!\.)[A-Za-z0-9._-]{1,128}$", RegexOptions.CultureInvariant);
}
