namespace HmRec.Activities.Ingest;

/// <summary>What ingest read, kept and wrote; saved as manifest.json beside the parquet files.</summary>
public sealed record IngestSummary
{
    public required string OutputDirectory { get; init; }

    public required long TransactionRows { get; init; }

    public required long RowsKept { get; init; }

    /// <summary>(customer, article) pairs in history_pairs.parquet: the purchases older than the kept weeks, aggregated.</summary>
    public long HistoryPairs { get; init; }

    public required DateOnly FirstDay { get; init; }

    public required DateOnly LastDay { get; init; }

    /// <summary>History, training and validation weeks, oldest first.</summary>
    public required IReadOnlyList<IngestSplit> Splits { get; init; }

    public required long CustomersInFile { get; init; }

    /// <summary>Customers seen in transactions but absent from customers.csv; kept, flagged in_customers_file = false.</summary>
    public required long UnknownCustomers { get; init; }

    public required long UnknownCustomerRows { get; init; }

    public required long ArticlesInFile { get; init; }

    /// <summary>Articles seen in transactions but absent from articles.csv; kept, flagged has_metadata = false.</summary>
    public required long ArticlesWithoutMetadata { get; init; }

    public required long RowsWithoutArticleMetadata { get; init; }

    public required long EligibleArticles { get; init; }

    public required IReadOnlyList<IngestBin> Bins { get; init; }

    public required long SampledUsers { get; init; }

    public required double Seconds { get; init; }
}

/// <summary>One split of the kept weeks.</summary>
public sealed record IngestSplit(string Name, int FirstWeek, int LastWeek, DateOnly FirstDay, DateOnly LastDay, long Rows, long Users, long Articles);

/// <summary>One activity bin: users in it and users sampled from it.</summary>
public sealed record IngestBin(string Name, string Purchases, long Users, long Sampled);
