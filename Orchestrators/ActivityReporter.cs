using System.Diagnostics;

namespace HmRec.Orchestrators;

/// <summary>
/// One activity execution's progress: every message goes to the host's console or log as it comes, and at most one every
/// <see cref="ActivityProgress.Every"/> is raised on the run's orchestration, whose custom status then shows it to
/// anyone watching the task hub. Raising is best effort: a failure to raise never fails the activity.
/// </summary>
internal sealed class ActivityReporter(string activity, string? instanceId, IProgress<string>? host, RaiseEvent? raise) : IProgress<string>
{
    private readonly Stopwatch sinceRaised = new();
    private Task raising = Task.CompletedTask;

    /// <summary>Where an activity reports: the host's progress alone when there is no orchestration to raise events on.</summary>
    public static IProgress<string>? For(string activity, string? instanceId, IProgress<string>? host, RaiseEvent? raise) =>
        instanceId is null || raise is null ? host : new ActivityReporter(activity, instanceId, host, raise);

    public void Report(string value)
    {
        host?.Report(value);
        lock (sinceRaised)
        {
            if (sinceRaised.IsRunning && sinceRaised.Elapsed < ActivityProgress.Every)
            {
                return;
            }
            sinceRaised.Restart();
            // One event at a time, in order; a slow storage delays the next, it does not pile them up.
            if (!raising.IsCompleted)
            {
                return;
            }
            raising = RaiseAsync(new ActivityProgress(activity, value));
        }
    }

    private async Task RaiseAsync(ActivityProgress progress)
    {
        try
        {
            await raise!(ActivityProgress.RunInstanceOf(instanceId!), ActivityProgress.EventName, progress);
        }
        catch (Exception e)
        {
            Trace.TraceWarning($"Progress of {activity} not raised on {instanceId}: {e.Message}");
        }
    }
}
