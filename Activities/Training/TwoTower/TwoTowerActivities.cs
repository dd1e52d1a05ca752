namespace HmRec.Activities.Training.TwoTower;

/// <summary>
/// Stage 4B dispatch, as three activities over one job folder (<c>models/two_tower/</c>): <see cref="Start"/>
/// launches the worker process and records it in job.json; <see cref="Status"/> tells whether the job
/// runs, succeeded, failed or died; <see cref="Stop"/> ends it (on timeout). The worker writes every file
/// atomically and summary.json last, so starting it again after it died is safe.
/// </summary>
public static class TwoTowerActivities
{
    public const string StartName = "StartTwoTower";
    public const string StatusName = "TwoTowerStatus";
    public const string StopName = "StopTwoTower";
    public const string Model = "two_tower";
    public const string JobFile = "job.json";
    public const string LogFile = "worker.log";

    /// <summary>
    /// The start activity: a local worker process (it reads the whole run, so with blob storage the whole run is pulled
    /// first), or an execution of the host's Container Apps job, which reads the run's blobs itself.
    /// </summary>
    public static readonly ActivityDefinition<TwoTowerStart, TwoTowerJob> StartDefinition = new(StartName,
        (host, r) => host.GpuJob is null ? r.RunDirectory : null, _ => ["**"],
        (host, r) => host.GpuJob is { } job ? job.StartAsync(r, host.Stopping) : Task.Run(() => Start(r, host.RaiseEvent), host.Stopping));

    /// <summary>The status activity: where the job stands, its last epoch reported as progress.</summary>
    public static readonly ActivityDefinition<TwoTowerJob, TwoTowerStatus> StatusDefinition = new(StatusName,
        (_, j) => j.Execution is null ? j.RunDirectory : null, _ => ["**"],
        async (host, j) =>
        {
            if (j.Execution is not null)
            {
                return await RemoteJob(host, j).StatusAsync(j, host.Stopping).ConfigureAwait(false);
            }
            var status = await Task.Run(() => Status(j), host.Stopping).ConfigureAwait(false);
            ReportEpoch(j, host.Progress);
            return status;
        });

    /// <summary>The stop activity (on the deadline).</summary>
    public static readonly ActivityDefinition<TwoTowerJob, bool> StopDefinition = new(StopName,
        (_, j) => j.Execution is null ? j.RunDirectory : null, _ => ["**"],
        (host, j) => j.Execution is not null ? RemoteJob(host, j).StopAsync(j, host.Stopping) : Task.Run(() => Stop(j), host.Stopping));

    private static ContainerAppsJob RemoteJob(ActivityHost host, TwoTowerJob job) => host.GpuJob
        ?? throw new InvalidOperationException($"The two-tower job of {job.RunDirectory} is Container Apps execution {job.Execution}, but this host has no Container Apps backend (HMREC_TWO_TOWER_BACKEND=containerapps and HMREC_GPU_JOB_ID).");

    /// <summary>The network's last finished epoch (its training log grows by a line per epoch), as progress.</summary>
    private static void ReportEpoch(TwoTowerJob job, IProgress<string>? progress)
    {
        var path = Path.Combine(job.OutputDirectory, ModelFiles.TrainingLog);
        try
        {
            if (progress is not null && File.Exists(path) && File.ReadLines(path).Skip(1).LastOrDefault()?.Split(',') is [var epoch, _, var map, ..])
            {
                var shown = double.TryParse(map, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value.ToString("F5", CultureInfo.InvariantCulture) : map;
                progress.Report($"{Model}: epoch {epoch}, validation MAP@12 {shown}");
            }
        }
        catch (IOException)
        {
            // The worker is writing the log at this moment; the next poll reads it.
        }
    }

    /// <summary>The job folder of a run.</summary>
    public static string Directory(string runDirectory) => new RunLayout(runDirectory).Model(Model).Directory;

    /// <summary>
    /// Launches attempt <see cref="TwoTowerStart.Attempt"/> of the worker, unless the model is already complete
    /// or this attempt already runs (the activity ran again after a host crash). When the process exits,
    /// <paramref name="raise"/> (when given) sends <see cref="TwoTowerFinished"/> to the orchestration.
    /// </summary>
    public static TwoTowerJob Start(TwoTowerStart request, RaiseEvent? raise)
    {
        var output = Directory(request.RunDirectory);
        System.IO.Directory.CreateDirectory(output);
        var log = Path.Combine(output, LogFile);
        if (File.Exists(Path.Combine(output, ModelFiles.Summary)))
        {
            return new TwoTowerJob(request.RunDirectory, output, request.Attempt, 0, default, DateTime.UtcNow, "", log, AlreadyDone: true);
        }
        var jobPath = Path.Combine(output, JobFile);
        if (ReadJob(jobPath) is { } recorded && recorded.Attempt == request.Attempt && IsRunning(recorded))
        {
            return recorded;
        }

        var layout = new RunLayout(request.RunDirectory);
        var options = request.Options;
        var (program, prefix) = WorkerCommand.Locate();
        List<string> arguments =
        [
            .. prefix,
            "--features", Path.Combine(request.RunDirectory, "features"),
            "--out", output,
            .. options.TwoTower.WorkerArguments(options.Seed),
            // A process beside the host on the same machine: its DuckDB only streams the feature files (sorts spill),
            // so it gets a quarter of the budget; a larger one would raise its memory without loading any faster.
            "--memory-limit", MemorySize.Divide(options.Ingest.MemoryLimit, 4),
        ];
        if (File.Exists(layout.Global(0, "labels")))
        {
            // The validation week's purchases: the network's validation MAP@12 is then the evaluation's.
            arguments.AddRange(["--labels", layout.Global(0, "labels")]);
        }
        if (options.Features.ImageEmbeddings is { } images)
        {
            arguments.AddRange(["--image-embeddings", images, "--articles", layout.Articles]);
        }
        File.Delete(Path.Combine(output, ModelFiles.WorkerError));
        var command = string.Join(' ', new[] { program }.Concat(arguments).Select(ShellQuote));
        File.AppendAllText(log, $"--- attempt {request.Attempt}, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z: {command}{Environment.NewLine}");

        // The worker runs in its own session (a Ctrl+C in the host's terminal does not reach it) with its
        // output appended to worker.log, not to a pipe: it outlives a host that crashes or is stopped, and
        // the host that resumes finds it by its process id.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec setsid \"$0\" \"$@\" >> \"$HMREC_WORKER_LOG\" 2>&1 < /dev/null");
        start.ArgumentList.Add(program);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["HMREC_WORKER_LOG"] = log;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        var job = new TwoTowerJob(request.RunDirectory, output, request.Attempt, process.Id, process.StartTime.ToUniversalTime(), DateTime.UtcNow, command, log);
        JsonFile.Write(jobPath, job);
        WorkerProcesses.Watch(process, request.InstanceId, request.Attempt, raise);
        return job;
    }

    /// <summary>Where the job stands; when it succeeded, the model as the evaluation sees it.</summary>
    public static TwoTowerStatus Status(TwoTowerJob job)
    {
        var summaryPath = Path.Combine(job.OutputDirectory, ModelFiles.Summary);
        if (File.Exists(summaryPath))
        {
            return new TwoTowerStatus(TwoTowerState.Succeeded, null, ToModelSummary(job.OutputDirectory, File.ReadAllText(summaryPath)));
        }
        var errorPath = Path.Combine(job.OutputDirectory, ModelFiles.WorkerError);
        if (File.Exists(errorPath) && !IsRunning(job))
        {
            return new TwoTowerStatus(TwoTowerState.Failed, $"the two-tower worker failed: {File.ReadAllText(errorPath).Trim()} (log: {job.LogPath})", null);
        }
        if (IsRunning(job))
        {
            return new TwoTowerStatus(TwoTowerState.Running, null, null);
        }
        return new TwoTowerStatus(TwoTowerState.Died, $"the two-tower worker (attempt {job.Attempt}, process {job.ProcessId}) ended without a result; last lines of {job.LogPath}: {Tail(job.LogPath)}", null);
    }

    /// <summary>Kills the job's process if it still runs (after a timeout); returns whether it was running.</summary>
    public static bool Stop(TwoTowerJob job)
    {
        if (!IsRunning(job))
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(job.ProcessId);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
        File.AppendAllText(job.LogPath, $"--- attempt {job.Attempt} stopped by the pipeline at {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z{Environment.NewLine}");
        return true;
    }

    /// <summary>True while the recorded process runs (the same process: its start time matches, so a reused id does not count).</summary>
    public static bool IsRunning(TwoTowerJob job)
    {
        if (job.ProcessId <= 0)
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(job.ProcessId);
            return !process.HasExited && Math.Abs((process.StartTime.ToUniversalTime() - job.ProcessStartUtc).TotalSeconds) < 2 && !IsZombie(job.ProcessId);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The model of the worker's summary.json (<paramref name="summary"/>, its text) in <paramref name="directory"/>.</summary>
    internal static ModelSummary ToModelSummary(string directory, string summary)
    {
        using var document = JsonDocument.Parse(summary);
        var s = document.RootElement;
        string? notTrained = s.TryGetProperty("NotTrained", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new ModelSummary(Model, directory, s.GetProperty("TrainRows").GetInt64(), s.GetProperty("ValidationRows").GetInt64(),
            s.GetProperty("Epochs").GetInt32(), s.GetProperty("BestEpoch").GetInt32(), s.GetProperty("BestValidationMap").GetDouble(),
            [], s.GetProperty("Seconds").GetDouble(), Skipped: false, notTrained)
        {
            Device = s.GetProperty("Device").GetString(),
            SamplesPerSecond = s.GetProperty("SamplesPerSecond").GetDouble(),
        };
    }

    private static TwoTowerJob? ReadJob(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<TwoTowerJob>(File.ReadAllText(path)) : null;

    private static string Tail(string path)
    {
        if (!File.Exists(path))
        {
            return "(no log)";
        }
        var lines = File.ReadAllLines(path);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 3)));
    }

    private static string ShellQuote(string s) => s.Contains(' ', StringComparison.Ordinal) ? $"'{s}'" : s;
}
