using HmRec.Activities.Ingest;
using HmRec.Shared.Options;

namespace HmRec.Orchestrators.Pipeline;

/// <summary>One pipeline run: its id, its input files, its folder for every artefact, and its options.</summary>
public sealed record PipelineRequest(string RunId, IngestInputs Inputs, string RunDirectory, PipelineOptions Options);
