namespace HmRec.Shared.Options;

/// <summary>The resolved options of one pipeline run; saved as runs/{runId}/config.json.</summary>
public sealed record PipelineOptions
{
    /// <summary>Seed for every random choice of the run.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Stage 1 options.</summary>
    public IngestOptions Ingest { get; init; } = new();

    public void Validate() => Ingest.Validate();
}
