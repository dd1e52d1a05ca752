using System.CommandLine;
using System.Globalization;
using HmRec.Shared.Synthetic;
using Spectre.Console;

namespace HmRec.Cli.Commands;

/// <summary><c>hmrec generate</c>: writes a synthetic H&amp;M dataset.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var scale = new Option<string>("--scale") { Description = "Preset sizes: 'default' (fast) or 'full' (the real data's sizes). Explicit sizes override it.", DefaultValueFactory = _ => "default" };
        scale.AcceptOnlyFromAmong("default", "full");
        var customers = new Option<int?>("--customers") { Description = "Customers to generate." };
        var articles = new Option<int?>("--articles") { Description = "Articles to generate." };
        var transactions = new Option<long?>("--transactions") { Description = "Transaction rows (default: the real ratio of rows per customer)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed; the output is a function of the seed and the sizes.", DefaultValueFactory = _ => 42 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the three CSV files into.", Required = true };
        var stats = new Option<bool>("--stats") { Description = "Measure and print the calibrated statistics afterwards." };
        var command = new Command("generate", "Write a synthetic H&M dataset (articles.csv, customers.csv, transactions_train.csv).")
        {
            scale, customers, articles, transactions, seed, output, stats,
        };
        command.SetAction(parse =>
        {
            var preset = parse.GetValue(scale) == "full" ? SyntheticOptions.Full : SyntheticOptions.Default;
            var options = new SyntheticOptions(
                parse.GetValue(customers) ?? preset.Customers,
                parse.GetValue(articles) ?? preset.Articles,
                parse.GetValue(transactions) ?? (parse.GetValue(customers) is null ? preset.Transactions : null),
                parse.GetValue(seed));
            return Run(options, parse.GetValue(output)!.FullName, parse.GetValue(stats));
        });
        return command;
    }

    internal static int Run(SyntheticOptions options, string directory, bool printStats)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        Console.WriteLine($"Generating {options.Customers:N0} customers, {options.Articles:N0} articles, {options.TransactionCount:N0} transactions (seed {options.Seed}) into {directory}");
        var progress = new ConsoleProgress(Console.Out);
        var summary = SyntheticDataGenerator.Generate(options, directory, new Progress(progress));
        progress.Done();
        Console.WriteLine($"Wrote {summary.Transactions:N0} transactions, {summary.Customers:N0} customers, {summary.Articles:N0} articles ({summary.ProductCodes:N0} product codes) in {summary.Elapsed.TotalSeconds:F1} s; peak memory {PeakMemory.Describe()}.");
        if (printStats)
        {
            PrintStatistics(DatasetStatistics.Measure(directory));
        }
        return 0;
    }

    internal static void PrintStatistics(DatasetStatistics s)
    {
        var r = DatasetStatistics.Real;
        var table = new Table().AddColumn("statistic").AddColumn(new TableColumn("this dataset").RightAligned()).AddColumn(new TableColumn("real H&M data").RightAligned());
        void Row(string name, string mine, string real) => table.AddRow(Markup.Escape(name), mine, real);
        static string P(double v) => double.IsNaN(v) ? "-" : v.ToString("P2", CultureInfo.InvariantCulture);
        static string N(double v) => double.IsNaN(v) ? "-" : v.ToString("0.##", CultureInfo.InvariantCulture);
        Row("transactions", s.Transactions.ToString("N0", CultureInfo.InvariantCulture), r.Transactions.ToString("N0", CultureInfo.InvariantCulture));
        Row("customers", s.Customers.ToString("N0", CultureInfo.InvariantCulture), r.Customers.ToString("N0", CultureInfo.InvariantCulture));
        Row("articles / product codes", $"{s.Articles:N0} / {s.ProductCodes:N0}", $"{r.Articles:N0} / {r.ProductCodes:N0}");
        Row("dates", $"{s.FirstDay:yyyy-MM-dd}..{s.LastDay:yyyy-MM-dd}", $"{r.FirstDay:yyyy-MM-dd}..{r.LastDay:yyyy-MM-dd}");
        Row("customers who never buy", P(s.NeverBuyShare), P(r.NeverBuyShare));
        Row("customers buying in the last week", P(s.LastWeekBuyerShare), P(r.LastWeekBuyerShare));
        Row("median distinct articles, last-week buyers", N(s.LastWeekMedianDistinctArticles), N(r.LastWeekMedianDistinctArticles));
        Row("median rows per buyer", N(s.MedianRowsPerBuyer), N(r.MedianRowsPerBuyer));
        Row("rows duplicating another row", P(s.DuplicateRowShare), P(r.DuplicateRowShare));
        Row("customer-article pairs bought on 2+ days", P(s.RepeatPurchaseShare), P(r.RepeatPurchaseShare));
        Row("articles per product code", N(s.ArticlesPerProductCode), N(r.ArticlesPerProductCode));
        AnsiConsole.Write(table);
    }

    private sealed class Progress(ConsoleProgress console) : IProgress<SyntheticProgress>
    {
        public void Report(SyntheticProgress value) => console.Report(value.Stage, value.Done, value.Total);
    }
}
