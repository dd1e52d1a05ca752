using HmRec.Activities.Ingest;

namespace HmRec.Orchestrators.Pipeline;

/// <summary>What a pipeline run produced, stage by stage.</summary>
public sealed record PipelineResult(string RunId, IngestSummary Ingest);
