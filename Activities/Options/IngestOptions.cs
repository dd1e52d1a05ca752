namespace HmRec.Activities.Options;

/// <summary>
/// Stage 1 options: which weeks are kept and how, which users are sampled, which items are eligible.
/// Weeks end on the last day of the data: week 0 is the held-out validation week, weeks 1..TrainingWeeks
/// are label weeks for training, and HistoryWeeks more before them are kept row by row (the window); everything
/// older is kept as whole-history aggregates per (customer, article) and per customer.
/// </summary>
public sealed record IngestOptions
{
    /// <summary>Label weeks before the validation week (default 4).</summary>
    public int TrainingWeeks { get; init; } = 4;

    /// <summary>
    /// Weeks of history kept row by row before the first training week; null keeps all of it (default 20). Older
    /// purchases are not lost: ingest aggregates them (history_pairs.parquet, history_customers.parquet).
    /// </summary>
    public int? HistoryWeeks { get; init; } = 20;

    /// <summary>Share of users sampled in every activity bin (default 1: all).</summary>
    public double SampleFraction { get; init; } = 1.0;

    /// <summary>Share of cold-start users in the sample; null samples them like every other bin.</summary>
    public double? ColdStartShare { get; init; }

    /// <summary>Articles with fewer purchases before a label week are not recommended for it (default 5).</summary>
    public int MinItemPurchases { get; init; } = 5;

    /// <summary>Seed of the user sampling.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>
    /// DuckDB's memory budget for the whole process (default 4GB), shared by the activities it runs at once; above
    /// it DuckDB spills to the scratch folder. Sizes as DuckDB writes them: 4GB, 512MB, 3.5GiB.
    /// </summary>
    public string MemoryLimit { get; init; } = "4GB";

    /// <summary>Checks every value, naming the option and the allowed range.</summary>
    public void Validate()
    {
        if (TrainingWeeks is < 1 or > 52)
        {
            throw new ArgumentException($"TrainingWeeks must be between 1 and 52 (got {TrainingWeeks}).");
        }
        if (HistoryWeeks is < 0 or > 520)
        {
            throw new ArgumentException($"HistoryWeeks must be between 0 and 520, or unset for all history (got {HistoryWeeks}).");
        }
        if (SampleFraction is <= 0 or > 1 || double.IsNaN(SampleFraction))
        {
            throw new ArgumentException($"SampleFraction must be in (0, 1] (got {SampleFraction}).");
        }
        if (ColdStartShare is { } share && (share is < 0 or >= 1 || double.IsNaN(share)))
        {
            throw new ArgumentException($"ColdStartShare must be in [0, 1) (got {share}).");
        }
        if (MinItemPurchases is < 0 or > 1_000_000)
        {
            throw new ArgumentException($"MinItemPurchases must be between 0 and 1,000,000 (got {MinItemPurchases}).");
        }
        if (MemorySize.TryParse(MemoryLimit) is not >= 64_000_000)
        {
            throw new ArgumentException($"MemoryLimit must be a size of at least 64MB such as '4GB' or '512MiB' (got '{MemoryLimit}').");
        }
    }
}
