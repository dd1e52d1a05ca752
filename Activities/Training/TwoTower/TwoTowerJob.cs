namespace HmRec.Activities.Training.TwoTower;

/// <summary>
/// One start of the two-tower worker, as recorded in <c>models/two_tower/job.json</c>: which attempt, the
/// process (id and start time, so a reused process id is not mistaken for the job), its command line,
/// or the Container Apps job execution, and where it writes. <see cref="AlreadyDone"/> is set when the model was complete before any start.
/// </summary>
public sealed record TwoTowerJob(
    string RunDirectory,
    string OutputDirectory,
    int Attempt,
    int ProcessId,
    DateTime ProcessStartUtc,
    DateTime StartedUtc,
    string Command,
    string LogPath,
    bool AlreadyDone = false)
{
    /// <summary>The Container Apps job execution of this start, when the job runs there rather than as a local process.</summary>
    public string? Execution { get; init; }
}
