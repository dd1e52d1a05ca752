using System.Collections.Concurrent;

namespace HmRec.Activities.Training.TwoTower;

/// <summary>
/// The worker processes this host started: each is held until it exits, then the waiting orchestration is
/// told through <see cref="RaiseEvent"/>. A host that restarts has no such watch; the orchestrator's poll
/// covers that case.
/// </summary>
internal static class WorkerProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    public static void Watch(Process process, string instanceId, int attempt, RaiseEvent? raise)
    {
        Running[process.Id] = process;
        process.EnableRaisingEvents = true;
        process.Exited += async (_, _) =>
        {
            Running.TryRemove(process.Id, out var _);
            var exitCode = process.ExitCode;
            var id = process.Id;
            process.Dispose();
            if (raise is null)
            {
                return;
            }
            try
            {
                await raise(instanceId, TwoTowerFinished.EventName, new TwoTowerFinished(attempt, id, exitCode)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The orchestration may be gone (purged, terminated) or the store closed: the poll is the fallback.
                Trace.TraceWarning($"Could not raise {TwoTowerFinished.EventName} on {instanceId}: {e.Message}");
            }
        };
    }
}
