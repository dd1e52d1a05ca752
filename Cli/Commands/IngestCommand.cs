using HmRec.Activities.Ingest;

namespace HmRec.Cli.Commands;

/// <summary><c>hmrec ingest</c>: stage 1 on its own.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Folder holding articles.csv, customers.csv and transactions_train.csv." };
        var articles = new Option<FileInfo?>("--articles-file") { Description = "Articles file, if not <data>/articles.csv." };
        var customers = new Option<FileInfo?>("--customers-file") { Description = "Customers file, if not <data>/customers.csv." };
        var transactions = new Option<FileInfo?>("--transactions-file") { Description = "Transactions file, if not <data>/transactions_train.csv." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the parquet files and manifest.json into (replaced atomically).", Required = true };
        var training = new Option<int>("--training-weeks") { Description = "Label weeks before the validation week.", DefaultValueFactory = _ => new IngestOptions().TrainingWeeks };
        var history = new Option<int?>("--history-weeks") { Description = "History weeks kept row by row before the training weeks (default 20; 0 keeps none); older purchases are kept as whole-history aggregates.", };
        var allHistory = new Option<bool>("--all-history") { Description = "Keep every week of history." };
        var fraction = new Option<double>("--sample-fraction") { Description = "Share of users sampled per activity bin.", DefaultValueFactory = _ => 1.0 };
        var coldShare = new Option<double?>("--cold-start-share") { Description = "Share of cold-start users in the sample (default: sampled like the other bins)." };
        var minPurchases = new Option<int>("--min-item-purchases") { Description = "Articles bought fewer times are not recommended.", DefaultValueFactory = _ => new IngestOptions().MinItemPurchases };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the user sampling.", DefaultValueFactory = _ => 42 };
        var memory = new Option<string>("--memory-limit") { Description = "DuckDB's memory budget for the whole process; beyond it DuckDB spills to disk.", DefaultValueFactory = _ => new IngestOptions().MemoryLimit };
        var command = new Command("ingest", "Validate the three CSV files and write typed, integer-keyed parquet with temporal splits and user sampling.")
        {
            data, articles, customers, transactions, output, training, history, allHistory, fraction, coldShare, minPurchases, seed, memory,
        };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(data)?.FullName;
            if (dir is null && (parse.GetValue(articles) is null || parse.GetValue(customers) is null || parse.GetValue(transactions) is null))
            {
                Console.Error.WriteLine("error: give --data DIR, or all three of --articles-file, --customers-file and --transactions-file.");
                return 2;
            }
            var standard = dir is null ? null : IngestInputs.FromDirectory(dir);
            var inputs = new IngestInputs(
                parse.GetValue(articles)?.FullName ?? standard!.Articles,
                parse.GetValue(customers)?.FullName ?? standard!.Customers,
                parse.GetValue(transactions)?.FullName ?? standard!.Transactions);
            var options = new IngestOptions
            {
                TrainingWeeks = parse.GetValue(training),
                HistoryWeeks = parse.GetValue(allHistory) ? null : parse.GetValue(history) ?? new IngestOptions().HistoryWeeks,
                SampleFraction = parse.GetValue(fraction),
                ColdStartShare = parse.GetValue(coldShare),
                MinItemPurchases = parse.GetValue(minPurchases),
                Seed = parse.GetValue(seed),
                MemoryLimit = parse.GetValue(memory)!,
            };
            return Run(inputs, parse.GetValue(output)!.FullName, options);
        });
        return command;
    }

    internal static int Run(IngestInputs inputs, string output, IngestOptions options)
    {
        var progress = new ConsoleProgress(Console.Out);
        var summary = CliErrors.Guard(() => Ingestor.Run(inputs, output, options, new Progress<string>(progress.Detail)));
        progress.Done();
        if (summary is null)
        {
            return 1;
        }
        Print(summary);
        return 0;
    }

    internal static void Print(IngestSummary s)
    {
        static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
        Console.WriteLine($"Ingested {N(s.TransactionRows)} transactions ({s.FirstDay:yyyy-MM-dd}..{s.LastDay:yyyy-MM-dd}); kept {N(s.RowsKept)} in the window and {N(s.HistoryPairs)} (customer, article) pairs of the older history; wrote {s.OutputDirectory}");
        var splits = new Table().AddColumn("split").AddColumn("weeks").AddColumn("days")
            .AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("users").RightAligned()).AddColumn(new TableColumn("articles").RightAligned());
        foreach (var split in s.Splits)
        {
            splits.AddRow(split.Name, split.FirstWeek == split.LastWeek ? $"{split.FirstWeek}" : $"{split.FirstWeek}-{split.LastWeek}",
                $"{split.FirstDay:yyyy-MM-dd}..{split.LastDay:yyyy-MM-dd}", N(split.Rows), N(split.Users), N(split.Articles));
        }
        AnsiConsole.Write(splits);
        var bins = new Table().AddColumn("activity bin").AddColumn("purchases").AddColumn(new TableColumn("users").RightAligned()).AddColumn(new TableColumn("sampled").RightAligned());
        foreach (var bin in s.Bins)
        {
            bins.AddRow(bin.Name, bin.Purchases, N(bin.Users), N(bin.Sampled));
        }
        AnsiConsole.Write(bins);
        Console.WriteLine($"Customers: {N(s.CustomersInFile)} in the customers file; {N(s.UnknownCustomers)} more appear only in transactions ({N(s.UnknownCustomerRows)} rows, kept).");
        Console.WriteLine($"Articles: {N(s.ArticlesInFile)} in the articles file; {N(s.ArticlesWithoutMetadata)} more appear only in transactions ({N(s.RowsWithoutArticleMetadata)} rows, {(s.TransactionRows == 0 ? 0 : (double)s.RowsWithoutArticleMetadata / s.TransactionRows):P1}, kept without metadata); {N(s.EligibleArticles)} eligible for recommendation.");
        Console.WriteLine($"Sampled {N(s.SampledUsers)} users. {s.Seconds:F1} s, peak memory {PeakMemory.Describe()}.");
    }
}
