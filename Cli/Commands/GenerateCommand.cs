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
        var seed = new Option<ulong>("--seed") { Description = "Random seed; the output is a function of the seed, the sizes and the shape knobs.", DefaultValueFactory = _ => 42 };
        var withheld = new Option<int>("--withheld-weeks") { Description = "Leave the last N weeks of transactions out: the data as it stood N weeks earlier, every earlier row the same.", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the three CSV files into.", Required = true };
        var stats = new Option<bool>("--stats") { Description = "Measure and print the calibrated statistics afterwards." };
        var profile = new Option<string>("--profile")
        {
            Description = "Preset shape knobs: 'hm' (the default: sales spread like the real H&M data, repurchases from weeks to over a year "
                + "apart with a peak the same week a year later), 'long-cycle' (as hm, most repurchases over 24 weeks apart), 'realistic' (sales "
                + "spread, repurchases about two months apart) or 'classic' (the original generator, byte for byte). The knob options below override it.",
            DefaultValueFactory = _ => SyntheticProfile.Hm.Name,
        };
        profile.AcceptOnlyFromAmong([.. SyntheticProfile.Named.Select(p => p.Name)]);
        var concentration = new Option<double?>("--popularity-concentration")
        {
            Description = "How strongly sales pile onto a few hit articles: exponent on each article's appeal (0 = every article the same "
                + "expected sales, 1 = default, 3 = extreme hits). Range 0-3.",
        };
        var horizon = new Option<double?>("--repurchase-horizon-days")
        {
            Description = "Mean days a customer waits before buying an article they bought again (0 = default: no wait, repurchases mostly "
                + "come within a session or two). Range 0-365.",
        };
        var dispersion = new Option<double?>("--activity-dispersion")
        {
            Description = "How unequal customers' purchase counts are: standard deviation of the log activity rate (1.38 = default; "
                + "0 = all buyers equally active). Range 0-2.5.",
        };
        var turnover = new Option<double?>("--catalogue-turnover")
        {
            Description = "How fast articles enter and leave sale: divides every article's rise and decay times (1 = default, 2 = twice as fast). Range 0.25-4.",
        };
        var loyalty = new Option<double?>("--section-loyalty")
        {
            Description = "Share of new picks from the customer's favourite sections, the rest from age-typical ones (0.8 = default; lower = less personal taste). Range 0-1.",
        };
        var propensity = new Option<double?>("--repurchase-propensity")
        {
            Description = "Multiplies each customer's chance of buying again an article bought before (1 = default; 2 = the rule of re-offering past purchases about twice as strong). Range 0-3.",
        };
        var longShare = new Option<double?>("--long-repurchase-share")
        {
            Description = "Share of purchases after which the customer waits 6 to 15 months before buying the article again (0 in classic). Range 0-1.",
        };
        var seasonalShare = new Option<double?>("--seasonal-repurchase-share")
        {
            Description = "Share of purchases bought again around the same week a year later (0 in classic). Range 0-1; with the long share at most 1.",
        };
        var command = new Command("generate", "Write a synthetic H&M dataset (articles.csv, customers.csv, transactions_train.csv).")
        {
            scale, customers, articles, transactions, seed, withheld, output, stats, profile, concentration, horizon, dispersion, turnover, loyalty, propensity, longShare, seasonalShare,
        };
        command.SetAction(parse =>
        {
            var preset = parse.GetValue(scale) == "full" ? SyntheticOptions.Full : SyntheticOptions.Default;
            var options = new SyntheticOptions(
                parse.GetValue(customers) ?? preset.Customers,
                parse.GetValue(articles) ?? preset.Articles,
                parse.GetValue(transactions) ?? (parse.GetValue(customers) is null ? preset.Transactions : null),
                parse.GetValue(seed)).WithProfile(parse.GetValue(profile)!);
            options = options with
            {
                PopularityConcentration = parse.GetValue(concentration) ?? options.PopularityConcentration,
                RepurchaseHorizonDays = parse.GetValue(horizon) ?? options.RepurchaseHorizonDays,
                ActivityDispersion = parse.GetValue(dispersion) ?? options.ActivityDispersion,
                CatalogueTurnover = parse.GetValue(turnover) ?? options.CatalogueTurnover,
                SectionLoyalty = parse.GetValue(loyalty) ?? options.SectionLoyalty,
                RepurchasePropensity = parse.GetValue(propensity) ?? options.RepurchasePropensity,
                LongRepurchaseShare = parse.GetValue(longShare) ?? options.LongRepurchaseShare,
                SeasonalRepurchaseShare = parse.GetValue(seasonalShare) ?? options.SeasonalRepurchaseShare,
                WithheldWeeks = parse.GetValue(withheld),
            };
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Shape ({options.Profile.Name}): popularity concentration {options.PopularityConcentration}, repurchase horizon {options.RepurchaseHorizonDays} days, activity dispersion {options.ActivityDispersion}, catalogue turnover {options.CatalogueTurnover}, section loyalty {options.SectionLoyalty}, repurchase propensity {options.RepurchasePropensity}, long repurchase share {options.LongRepurchaseShare}, seasonal repurchase share {options.SeasonalRepurchaseShare}"));
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
        Row("rows held by the 12 best-selling articles", P(s.TopTwelveShare), P(r.TopTwelveShare));
        Row("median days between repeat purchases of an article", N(s.MedianRepeatGapDays), N(r.MedianRepeatGapDays));
        Row("rows bought by the 10 % most active buyers", P(s.TopDecileBuyerShare), P(r.TopDecileBuyerShare));
        Row("median days from an article's first to last sale", N(s.MedianSellingLifeDays), N(r.MedianSellingLifeDays));
        Row("median share of a buyer's rows in their top section (10+ rows)", P(s.MedianTopSectionShare), P(r.MedianTopSectionShare));
        AnsiConsole.Write(table);
    }

    private sealed class Progress(ConsoleProgress console) : IProgress<SyntheticProgress>
    {
        public void Report(SyntheticProgress value) => console.Report(value.Stage, value.Done, value.Total);
    }
}
