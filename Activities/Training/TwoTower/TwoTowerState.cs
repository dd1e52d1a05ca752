namespace HmRec.Activities.Training.TwoTower;

/// <summary>Where a two-tower job stands.</summary>
public enum TwoTowerState
{
    /// <summary>The process runs.</summary>
    Running,

    /// <summary>summary.json is written: the model (or a reasoned "not trained") is complete.</summary>
    Succeeded,

    /// <summary>The worker stopped on an error it reported (error.txt); starting it again would fail the same way.</summary>
    Failed,

    /// <summary>The process is gone without a result (killed, out of memory, machine lost): safe to start again.</summary>
    Died,
}
