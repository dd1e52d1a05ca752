namespace HmRec.Shared.Synthetic;

/// <summary>Size and seed of a generated H&amp;M-schema dataset.</summary>
/// <param name="Customers">Rows of customers.csv.</param>
/// <param name="Articles">Rows of articles.csv.</param>
/// <param name="Transactions">Rows of transactions_train.csv; null scales the real ratio of rows per customer.</param>
/// <param name="Seed">Everything generated is a function of this seed and the sizes.</param>
public sealed record SyntheticOptions(int Customers, int Articles, long? Transactions = null, ulong Seed = 42)
{
    /// <summary>First day of the real data.</summary>
    public static readonly DateOnly FirstDay = new(2018, 9, 20);

    /// <summary>Last day of the real data.</summary>
    public static readonly DateOnly LastDay = new(2020, 9, 22);

    /// <summary>The real file sizes.</summary>
    public static readonly SyntheticOptions Full = new(1_371_980, 105_542, 31_788_324);

    /// <summary>The default: runs through the whole pipeline in a few minutes on two cores.</summary>
    public static readonly SyntheticOptions Default = new(20_000, 6_000);

    /// <summary>Rows of transactions that will be generated.</summary>
    public long TransactionCount => Transactions ?? (long)Math.Round(Customers * (double)Full.Transactions!.Value / Full.Customers);

    /// <summary>Product codes: the real catalogue has about 2.23 colour variants per code.</summary>
    public int ProductCodes => Math.Max(1, (int)Math.Round(Articles / 2.235));

    /// <summary>Checks the sizes, naming the option and the allowed range.</summary>
    public void Validate()
    {
        if (Customers is < 100 or > 20_000_000)
        {
            throw new ArgumentException($"--customers must be between 100 and 20,000,000 (got {Customers}).");
        }
        if (Articles is < 50 or > 2_000_000)
        {
            throw new ArgumentException($"--articles must be between 50 and 2,000,000 (got {Articles}).");
        }
        if (Transactions is { } t && (t < Customers || t > 2_000_000_000))
        {
            throw new ArgumentException($"--transactions must be between the number of customers ({Customers}) and 2,000,000,000 (got {t}).");
        }
    }
}
