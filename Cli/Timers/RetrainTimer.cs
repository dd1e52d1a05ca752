namespace HmRec.Cli.Timers;

/// <summary>
/// The weekly retrain timer trigger: at each scheduled time it fires the retrain rule (<see cref="PipelineStarter.RetrainAsync"/>:
/// the occurrence starts under a deterministic instance id, <c>retrain-yyyyMMddTHHmmssZ</c>, unless that id exists, an
/// earlier retrain still runs, or another host claimed it first through <see cref="OccurrenceClaims"/>), so two hosts on
/// one task hub, or a host that restarts, never start the same week twice. The schedule's status (last and next
/// occurrence) is kept in a file beside the task hub; a host that starts after a missed occurrence runs it once (the
/// <c>useMonitor</c> behaviour).
/// </summary>
public sealed class RetrainTimer(
    CrontabSchedule schedule,
    TimeZoneInfo zone,
    string statusPath,
    Func<DateTime, CancellationToken, Task<string?>> fire,
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

    /// <summary>Fires the occurrence (see the retrain rule) and records it; returns the id started, or null.</summary>
    public async Task<string?> FireAsync(DateTime occurrenceUtc, CancellationToken cancellationToken = default)
    {
        var started = await fire(occurrenceUtc, cancellationToken);
        var later = clock.GetUtcNow().UtcDateTime;
        WriteStatus(new TimerStatus(occurrenceUtc, schedule.NextUtc(later > occurrenceUtc ? later : occurrenceUtc, zone)));
        return started;
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
        HmRec.Shared.Data.AtomicFile.WriteAllText(statusPath, JsonSerializer.Serialize(status));
    }

    /// <summary>The schedule monitor's record: the last occurrence handled and the next one due.</summary>
    public sealed record TimerStatus(DateTime? Last, DateTime? Next);
}
