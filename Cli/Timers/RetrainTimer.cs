using System.Globalization;
using System.Text.Json;
using DurableTask.Core.Exceptions;
using HmRec.Orchestrators.Pipeline;
using Microsoft.DurableTask.Client;

namespace HmRec.Cli.Timers;

/// <summary>
/// The weekly retrain timer trigger. Each scheduled time starts the orchestration under a deterministic
/// instance id, <c>retrain-yyyyMMddTHHmmssZ</c>, so two hosts on one task hub, or a host that restarts, can
/// never start the same week twice: an id that exists in the task hub (in any state) is not started again, and of
/// two hosts that fire at once only the one that claims the occurrence (<see cref="OccurrenceClaims"/>) starts it.
/// A tick that comes while an earlier retrain still runs is skipped, as a Functions timer never overlaps
/// itself. The schedule's status (last and next occurrence) is kept in a file beside the task hub; a host
/// that starts after a missed occurrence runs it once (the <c>useMonitor</c> behaviour).
/// </summary>
public sealed class RetrainTimer(
    DurableTaskClient client,
    CrontabSchedule schedule,
    TimeZoneInfo zone,
    string statusPath,
    Func<string, Task> start,
    Func<string, CancellationToken, Task<bool>> claim,
    TimeProvider? time = null)
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;

    /// <summary>Runs the trigger until <paramref name="cancellationToken"/>: the missed occurrence at start, then every occurrence on time.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartupAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var status = ReadStatus();
            var now = clock.GetUtcNow().UtcDateTime;
            var next = status?.Next ?? schedule.NextUtc(now, zone);
            if (next is null)
            {
                return;
            }
            if (next > now)
            {
                await Task.Delay(next.Value - now, clock, cancellationToken);
            }
            await FireAsync(next.Value, cancellationToken);
        }
    }

    /// <summary>
    /// At host start: with no status yet, records the next occurrence; with a recorded next occurrence that
    /// has passed, fires it once (a week missed while every host was down).
    /// </summary>
    public async Task<string?> StartupAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var status = ReadStatus();
        if (status?.Next is { } missed && missed <= now)
        {
            return await FireAsync(missed, cancellationToken);
        }
        if (status is null)
        {
            WriteStatus(new TimerStatus(null, schedule.NextUtc(now, zone)));
        }
        return null;
    }

    /// <summary>Starts the occurrence unless it exists already or a retrain still runs; records it; returns the id started, or null.</summary>
    public async Task<string?> FireAsync(DateTime occurrenceUtc, CancellationToken cancellationToken = default)
    {
        var id = RetrainInstance.Id(occurrenceUtc);
        string? started = null;
        if (await client.GetInstanceAsync(id, cancellationToken) is null && !await AnotherRetrainRunsAsync(cancellationToken) && await claim(id, cancellationToken))
        {
            try
            {
                await start(id);
                started = id;
            }
            catch (OrchestrationAlreadyExistsException)
            {
                // Another host started this week in between: that is the once-only guarantee at work.
            }
        }
        var later = clock.GetUtcNow().UtcDateTime;
        WriteStatus(new TimerStatus(occurrenceUtc, schedule.NextUtc(later > occurrenceUtc ? later : occurrenceUtc, zone)));
        return started;
    }

    private async Task<bool> AnotherRetrainRunsAsync(CancellationToken cancellationToken)
    {
        var running = client.GetAllInstancesAsync(new OrchestrationQuery
        {
            InstanceIdPrefix = RetrainInstance.Prefix,
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
            PageSize = 1,
        });
        await foreach (var _ in running.WithCancellation(cancellationToken))
        {
            return true;
        }
        return false;
    }

    private TimerStatus? ReadStatus()
    {
        try
        {
            return File.Exists(statusPath) ? JsonSerializer.Deserialize<TimerStatus>(File.ReadAllText(statusPath)) : null;
        }
        catch (JsonException)
        {
            return null; // a damaged status file is rebuilt from the schedule
        }
    }

    private void WriteStatus(TimerStatus status)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(statusPath))!);
        var temp = $"{statusPath}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        File.WriteAllText(temp, JsonSerializer.Serialize(status));
        File.Move(temp, statusPath, overwrite: true);
    }

    /// <summary>The schedule monitor's record: the last occurrence handled and the next one due.</summary>
    public sealed record TimerStatus(DateTime? Last, DateTime? Next);
}
