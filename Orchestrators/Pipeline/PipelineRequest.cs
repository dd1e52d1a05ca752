namespace HmRec.Orchestrators.Pipeline;

/// <summary>
/// One pipeline run: its id, its input files, its folder for every artefact, and its options; with
/// <paramref name="MaxActivities"/> (a host's <see cref="HostLimits.MaxActivitiesPerRun"/>), the run fails before its recall
/// when its shards would schedule more recall activities.
/// </summary>
public sealed record PipelineRequest(string RunId, IngestInputs Inputs, string RunDirectory, PipelineOptions Options, int? MaxActivities = null);
