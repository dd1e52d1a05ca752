namespace HmRec.Orchestrators.Pipeline;

/// <summary>
/// One fanned-out stage of a run: how many activities, how many found their output already there, rows
/// written, the sum of the activities' own seconds, and the stage's wall-clock seconds in the orchestration.
/// </summary>
public sealed record StageSummary(string Stage, int Activities, int Skipped, long Rows, double ActivitySeconds, double WallSeconds);
