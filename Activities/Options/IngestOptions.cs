using System.ComponentModel.DataAnnotations;
using HmRec.Shared.Options;

namespace HmRec.Activities.Options;

/// <summary>
/// Stage 1 options: which weeks are kept and how, which users are sampled, which items are eligible.
/// Weeks end on the last day of the data: week 0 is the held-out validation week, weeks 1..TrainingWeeks
/// are label weeks for training, and HistoryWeeks more before them are kept row by row (the window); everything
/// older is kept as whole-history aggregates per (customer, article) and per customer.
/// </summary>
public sealed record IngestOptions : IValidatableObject
{
    /// <summary>Label weeks before the validation week (default 4).</summary>
    [Range(1, 52)] public int TrainingWeeks { get; init; } = 4;

    /// <summary>
    /// Weeks of history kept row by row before the first training week; null keeps all of it (default 20). Older
    /// purchases are not lost: ingest aggregates them (history_pairs.parquet, history_customers.parquet).
    /// </summary>
    [Range(0, 520)] public int? HistoryWeeks { get; init; } = 20;

    /// <summary>Share of users sampled in every activity bin (default 1: all).</summary>
    [Range(0d, 1d, MinimumIsExclusive = true)] public double SampleFraction { get; init; } = 1.0;

    /// <summary>Share of cold-start users in the sample; null samples them like every other bin.</summary>
    [Range(0d, 1d, MaximumIsExclusive = true)] public double? ColdStartShare { get; init; }

    /// <summary>Articles with fewer purchases before a label week are not recommended for it (default 5).</summary>
    [Range(0, 1_000_000)] public int MinItemPurchases { get; init; } = 5;

    /// <summary>Seed of the user sampling.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>
    /// DuckDB's memory budget for the whole process (default 4GB), shared by the activities it runs at once; above
    /// it DuckDB spills to the scratch folder. Sizes as DuckDB writes them: 4GB, 512MB, 3.5GiB.
    /// </summary>
    public string MemoryLimit { get; init; } = "4GB";

    /// <summary>Checks every value, naming the option (<c>Ingest.*</c>) and the allowed range.</summary>
    public void Validate() => OptionsValidator.Validate(this, "Ingest.");

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext context)
    {
        if (MemorySize.TryParse(MemoryLimit) is not >= 64_000_000)
        {
            yield return new ValidationResult($"must be a size of at least 64MB such as '4GB' or '512MiB' (got '{MemoryLimit}').", [nameof(MemoryLimit)]);
        }
    }
}
