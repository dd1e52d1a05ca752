namespace HmRec.Orchestrators.Pipeline;

/// <summary>The pipeline's custom status: the stage it is in and how far along it is.</summary>
public sealed record PipelineStatus(string Stage, int Done, int Total);
