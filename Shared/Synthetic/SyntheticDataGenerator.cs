using System.Diagnostics;

namespace HmRec.Shared.Synthetic;

/// <summary>
/// Writes a synthetic H&amp;M dataset (articles.csv, customers.csv, transactions_train.csv) with the
/// real files' byte format and the structure a recommender learns from. Deterministic per seed and
/// sizes; the files appear only when all three are complete.
/// </summary>
public static class SyntheticDataGenerator
{
    /// <summary>Days from the first to the last day of the real data, inclusive.</summary>
    public static int Days => SyntheticOptions.LastDay.DayNumber - SyntheticOptions.FirstDay.DayNumber + 1;

    public static SyntheticSummary Generate(SyntheticOptions options, string directory, IProgress<SyntheticProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        var suffix = $".tmp-{Environment.ProcessId}";
        var files = new[] { HmSchema.ArticlesFile, HmSchema.CustomersFile, HmSchema.TransactionsFile };
        try
        {
            progress?.Report(new SyntheticProgress("catalogue", 0, 1));
            var catalogue = new Catalogue(options, Days);
            using (var stream = Create(Path.Combine(directory, HmSchema.ArticlesFile + suffix)))
            {
                catalogue.WriteCsv(stream);
            }
            progress?.Report(new SyntheticProgress("customers", 0, 1));
            var customers = new CustomerPopulation(options, Days, catalogue);
            using (var stream = Create(Path.Combine(directory, HmSchema.CustomersFile + suffix)))
            {
                customers.WriteCsv(stream);
            }
            long rows;
            using (var stream = Create(Path.Combine(directory, HmSchema.TransactionsFile + suffix)))
            {
                var simulator = new TransactionSimulator(options, catalogue, customers, Days);
                rows = simulator.Write(stream, day => progress?.Report(new SyntheticProgress("transactions", day + 1, Days)), cancellationToken,
                    Days - 7 * options.WithheldWeeks);
            }
            foreach (var file in files)
            {
                File.Move(Path.Combine(directory, file + suffix), Path.Combine(directory, file), overwrite: true);
            }
            return new SyntheticSummary(Path.GetFullPath(directory), options.Customers, options.Articles, catalogue.FirstArticle.Length - 1, rows, SyntheticOptions.FirstDay, options.WrittenLastDay, clock.Elapsed);
        }
        finally
        {
            foreach (var file in files)
            {
                File.Delete(Path.Combine(directory, file + suffix));
            }
        }
    }

    private static FileStream Create(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.SequentialScan);
}
