namespace HmRec.Shared.Options;

/// <summary>The resolved options of one pipeline run; saved as runs/{runId}/config.json.</summary>
public sealed record PipelineOptions
{
    /// <summary>Seed for every random choice of the run.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>User shards: recall and features run as one activity per shard (default 4).</summary>
    public int Shards { get; init; } = 4;

    /// <summary>Stage 1 options.</summary>
    public IngestOptions Ingest { get; init; } = new();

    /// <summary>Stage 2 options.</summary>
    public RecallOptions Recall { get; init; } = new();

    /// <summary>Stage 3 options.</summary>
    public FeatureOptions Features { get; init; } = new();

    /// <summary>Stage 4A options.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Stage 4B options: the two-tower network on the GPU worker.</summary>
    public TwoTowerOptions TwoTower { get; init; } = new();

    public void Validate()
    {
        RecallOptions.Check("Shards", Shards, 1, 4096);
        Ingest.Validate();
        Recall.Validate();
        Features.Validate();
        Training.Validate();
        TwoTower.Validate();
    }
}
