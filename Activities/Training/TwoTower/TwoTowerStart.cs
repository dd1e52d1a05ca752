namespace HmRec.Activities.Training.TwoTower;

/// <summary>Input of the start activity: the run, its options, the orchestration to notify, and the attempt number (from 1).</summary>
public sealed record TwoTowerStart(string RunDirectory, PipelineOptions Options, string InstanceId, int Attempt);
