namespace HmRec.Activities.Common;

/// <summary>What one recall, merge or feature activity wrote: the file, its rows and users, and whether it was already there.</summary>
public sealed record StageOutput(string Path, long Rows, long Users, double Seconds, bool Skipped)
{
    /// <summary>When the activity started (UTC), stamped by the host around it; for the run's timeline.</summary>
    public DateTime? Started { get; init; }
}
