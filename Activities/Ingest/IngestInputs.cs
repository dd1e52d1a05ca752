namespace HmRec.Activities.Ingest;

/// <summary>Paths of the three input files.</summary>
public sealed record IngestInputs(string Articles, string Customers, string Transactions)
{
    /// <summary>The standard file names inside one folder.</summary>
    public static IngestInputs FromDirectory(string directory) => new(
        Path.Combine(directory, HmSchema.ArticlesFile),
        Path.Combine(directory, HmSchema.CustomersFile),
        Path.Combine(directory, HmSchema.TransactionsFile));
}
