namespace HmRec.Activities.Training.TwoTower;

/// <summary>The event the host raises on the waiting orchestration when a worker process exits.</summary>
public sealed record TwoTowerFinished(int Attempt, int ProcessId, int ExitCode)
{
    public const string EventName = "TwoTowerFinished";
}
