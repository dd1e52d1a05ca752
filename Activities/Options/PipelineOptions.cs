using System.ComponentModel.DataAnnotations;
using HmRec.Shared.Options;

namespace HmRec.Activities.Options;

/// <summary>The resolved options of one pipeline run; saved as runs/{runId}/config.json.</summary>
public sealed record PipelineOptions
{
    /// <summary>Seed for every random choice of the run.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>The most shards a week may have.</summary>
    public const int MaxShards = 4096;

    /// <summary>
    /// User shards of each week: its recall strategies, merge and features run as one activity per shard. Null (the
    /// default) sizes them by the week's target users, one shard per <see cref="UsersPerShard"/>; a number fixes them.
    /// </summary>
    [Range(1, MaxShards)] public int? Shards { get; init; }

    /// <summary>Target users per shard when <see cref="Shards"/> is not fixed (default 25,000: small enough that on larger data the week after the data, which targets every recently active user, runs its features in several activities beside the label weeks' one, not in one that outlasts them).</summary>
    [Range(1, 100_000_000)] public int UsersPerShard { get; init; } = 25_000;

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

    /// <summary>The promotion step: when a run replaces the champion.</summary>
    public PromotionOptions Promotion { get; init; } = new();

    /// <summary>
    /// Checks every value of every section (<see cref="OptionsValidator"/>), naming the first out of bounds by its path
    /// (<c>Recall.UserKnn.Neighbours</c>); a section left null, as a JSON body with <c>"Training": null</c> leaves it, fails too.
    /// </summary>
    public void Validate() => OptionsValidator.Validate(this);

    /// <summary>The shards of a week with <paramref name="users"/> target users: <see cref="Shards"/>, or one per <see cref="UsersPerShard"/> (at least one).</summary>
    public int ShardsFor(long users) => Shards ?? (int)Math.Clamp((users + UsersPerShard - 1) / UsersPerShard, 1, MaxShards);
}
