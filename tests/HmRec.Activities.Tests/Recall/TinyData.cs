using System.Text;
using HmRec.Activities.Features;

namespace HmRec.Activities.Tests.Recall;

/// <summary>
/// A hand-made dataset whose right answers are known: purchases are placed relative to the validation
/// week's cutoff, written as real CSVs and ingested, then the recall and feature activities run on it.
/// </summary>
internal sealed class TinyData : IDisposable
{
    /// <summary>The last day of the data; label week 0 is its last seven days.</summary>
    public static readonly DateOnly LastDay = new(2020, 9, 22);

    private readonly List<string> transactions = [];
    private readonly SortedDictionary<long, string> articles = [];
    private readonly SortedSet<string> customers = new(StringComparer.Ordinal);

    public TinyData() => Directory.CreateDirectory(Root);

    public TempFolder Root { get; } = new("tiny");

    public string RunDirectory => Path.Combine(Root, "run");

    public RunLayout Layout => new(RunDirectory);

    /// <summary>The validation week: cutoff 2020-09-16.</summary>
    public static LabelWeek Validation => LabelWeek.Of(LastDay, 0);

    /// <summary>Options for hand-made data: every item eligible, one training week, all history, one shard.</summary>
    public static PipelineOptions Options => new()
    {
        Shards = 1,
        Ingest = new IngestOptions { TrainingWeeks = 1, HistoryWeeks = null, MinItemPurchases = 1 },
        Recall = new RecallOptions { CoPurchase = new CoPurchaseOptions { MinCount = 1 } },
    };

    public TinyData Article(long id, string type = "Dress", int typeNo = 1, string detail = "", string colour = "Black", int department = 10, int section = 16)
    {
        var fields = new[]
        {
            id.ToString("D10", CultureInfo.InvariantCulture), (id / 1000).ToString(CultureInfo.InvariantCulture), type, typeNo.ToString(CultureInfo.InvariantCulture), type, "Garment Upper body",
            "1010016", "Solid", "9", colour, "4", "Dark", "5", colour, department.ToString(CultureInfo.InvariantCulture), "Department", "A", "Ladieswear",
            "1", "Ladieswear", section.ToString(CultureInfo.InvariantCulture), "Womens Everyday", "1002", "Jersey Basic", detail,
        };
        articles[id] = string.Join(',', fields.Select(f => f.Contains(',', StringComparison.Ordinal) ? $"\"{f}\"" : f));
        return this;
    }

    /// <summary>A purchase <paramref name="daysBeforeCutoff"/> days before the validation week (negative: inside or after it).</summary>
    public TinyData Buy(string customer, long article, int daysBeforeCutoff, double price = 0.03, int channel = 2)
    {
        customers.Add(customer);
        if (!articles.ContainsKey(article))
        {
            Article(article);
        }
        var day = Validation.CutoffDay - daysBeforeCutoff;
        var date = DateOnly.FromDateTime(DateTime.UnixEpoch).AddDays(day);
        transactions.Add($"{date:yyyy-MM-dd},{customer},{article:D10},{price.ToString(CultureInfo.InvariantCulture)},{channel}");
        return this;
    }

    /// <summary>Writes the CSVs and ingests them into the run folder.</summary>
    public TinyData Ingest(PipelineOptions? options = null)
    {
        var data = Path.Combine(Root, "data");
        Directory.CreateDirectory(data);
        // The data must end on LastDay, whatever the purchases: one anchor purchase on that day.
        Buy("zz-anchor", articles.Keys.First(), Validation.CutoffDay - (LastDay.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber));
        File.WriteAllText(Path.Combine(data, HmSchema.ArticlesFile), HmSchema.Header(HmSchema.ArticleColumns) + "\n" + string.Join("\n", articles.Values) + "\n");
        var c = new StringBuilder(HmSchema.Header(HmSchema.CustomerColumns) + "\n");
        foreach (var id in customers)
        {
            c.Append(CultureInfo.InvariantCulture, $"{id},1.0,1.0,ACTIVE,Regularly,30,postal\n");
        }
        File.WriteAllText(Path.Combine(data, HmSchema.CustomersFile), c.ToString());
        File.WriteAllText(Path.Combine(data, HmSchema.TransactionsFile), HmSchema.Header(HmSchema.TransactionColumns) + "\n" + string.Join("\n", transactions) + "\n");
        Ingestor.Run(IngestInputs.FromDirectory(data), Layout.IngestDirectory, (options ?? Options).Ingest);
        return this;
    }

    /// <summary>Runs every recall and feature activity of one label week, shard by shard, as the orchestrator would.</summary>
    public static void RunWeek(string runDirectory, PipelineOptions options, LabelWeek week)
    {
        TextVectorsActivity.Run(new RunTask(runDirectory, options));
        var targets = RecallGlobalActivity.Run(new WeekTask(runDirectory, week, options));
        for (var shard = 0; shard < options.ShardsFor(targets.Users); shard++)
        {
            foreach (var strategy in RecallStrategies.All)
            {
                RecallShardActivity.Run(new RecallShardTask(runDirectory, week, shard, options, strategy));
            }
            MergeActivity.Run(new ShardTask(runDirectory, week, shard, options));
            FeaturesActivity.Run(new ShardTask(runDirectory, week, shard, options));
        }
    }

    /// <summary>A recall file's rows as (customer id, article id) -> score.</summary>
    public Dictionary<(string Customer, long Article), double> Scores(string path)
    {
        using var connection = DuckDb.Open();
        using var r = connection.Query($"""
            SELECT c.customer_id, a.article_id, r.score FROM read_parquet('{path}') r
            JOIN read_parquet('{Layout.Customers}') c USING (customer_idx) JOIN read_parquet('{Layout.Articles}') a USING (article_idx)
            """);
        var rows = r.ReadAll();
        var ids = rows.GetStrings("customer_id").Values;
        var arts = rows.Get<long>("article_id").Values;
        var scores = rows.Get<double>("score").Values;
        return Enumerable.Range(0, ids.Length).ToDictionary(i => (ids[i]!, arts[i]), i => scores[i]);
    }

    /// <summary>One strategy's validation-week candidates for one customer, best first.</summary>
    public List<(long Article, double Score)> Candidates(string strategy, string customer) =>
        Scores(Layout.Recall(0, strategy, 0)).Where(kv => kv.Key.Customer == customer)
            .Select(kv => (kv.Key.Article, kv.Value)).OrderByDescending(x => x.Value).ThenBy(x => x.Article).ToList();

    public void Dispose() => Root.Dispose();
}
