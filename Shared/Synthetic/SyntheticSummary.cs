namespace HmRec.Shared.Synthetic;

/// <summary>What a generation wrote.</summary>
public sealed record SyntheticSummary(string Directory, int Customers, int Articles, int ProductCodes, long Transactions, DateOnly FirstDay, DateOnly LastDay, TimeSpan Elapsed);
