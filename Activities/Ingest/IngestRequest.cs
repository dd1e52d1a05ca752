namespace HmRec.Activities.Ingest;

/// <summary>Input of the ingest activity: the three files, where the parquet goes, and the options.</summary>
public sealed record IngestRequest(IngestInputs Inputs, string OutputDirectory, IngestOptions Options);
