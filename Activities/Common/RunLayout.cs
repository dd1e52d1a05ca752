namespace HmRec.Activities.Common;

/// <summary>
/// Where every artefact of one run lives under its folder (ARCHITECTURE.md's storage layout). Per-week
/// outputs sit in hive-style <c>week=</c> and <c>shard=</c> folders, so one glob reads them all.
/// </summary>
public sealed record RunLayout(string RunDirectory)
{
    public string IngestDirectory => Path.Combine(RunDirectory, "ingest");

    public string Transactions => Path.Combine(IngestDirectory, "transactions.parquet");

    public string Articles => Path.Combine(IngestDirectory, "articles.parquet");

    public string Customers => Path.Combine(IngestDirectory, "customers.parquet");

    public string UsersSampled => Path.Combine(IngestDirectory, "users_sampled.parquet");

    /// <summary>Per (customer, article), the purchases older than the kept weeks (see <see cref="WholeHistory"/>).</summary>
    public string HistoryPairs => Path.Combine(IngestDirectory, "history_pairs.parquet");

    /// <summary>Per customer, the purchases older than the kept weeks.</summary>
    public string HistoryCustomers => Path.Combine(IngestDirectory, "history_customers.parquet");

    /// <summary>The transactions of the weeks a year before the label weeks (day, week, customer_idx, article_idx).</summary>
    public string YearAgo => Path.Combine(IngestDirectory, "year_ago.parquet");

    /// <summary>Dense text vectors of every article; they do not depend on the label week.</summary>
    public string TextVectors => Path.Combine(RunDirectory, "recall", "text_vectors.parquet");

    public string RecallReport => Path.Combine(RunDirectory, "recall", "report.json");

    /// <summary>A global table of one label week (targets, labels, items, popularity, co-purchase pairs...).</summary>
    public string Global(int week, string table) => Path.Combine(RunDirectory, "recall", Week(week), "global", table + ".parquet");

    public string Recall(int week, string strategy, int shard) => Path.Combine(RunDirectory, "recall", Week(week), strategy, Shard(shard));

    public string Candidates(int week, int shard) => Path.Combine(RunDirectory, "candidates", Week(week), Shard(shard));

    /// <summary>Every shard's candidates of one label week, as a glob for read_parquet.</summary>
    public string WeekCandidates(int week) => Path.Combine(RunDirectory, "candidates", Week(week), "shard=*.parquet");

    /// <summary>Every shard's output of one strategy in one label week, as a glob for read_parquet.</summary>
    public string WeekRecall(int week, string strategy) => Path.Combine(RunDirectory, "recall", Week(week), strategy, "shard=*.parquet");

    public string Features(int week, int shard) => Path.Combine(RunDirectory, "features", Week(week), Shard(shard));

    /// <summary>Every features file of one label week, as a glob for read_parquet.</summary>
    public string WeekFeatures(int week) => Path.Combine(RunDirectory, "features", Week(week), "shard=*.parquet");

    /// <summary>Every features file of the run, as a glob for read_parquet.</summary>
    public string AllFeatures => Path.Combine(RunDirectory, "features", "week=*", "shard=*.parquet");

    /// <summary>The folder name of a label week's outputs (<c>week=N</c>).</summary>
    public static string WeekName(int week) => "week=" + week.ToString(CultureInfo.InvariantCulture);

    private static string Week(int week) => WeekName(week);

    /// <summary>The folder of model <paramref name="name"/> and the files of its contract (see <see cref="ModelOutputs"/>).</summary>
    public ModelOutputs Model(string name) => new(Path.Combine(RunDirectory, "models", name));

    /// <summary>The run id, the data folder and the resolved options, written when the run is prepared.</summary>
    public string Config => Path.Combine(RunDirectory, "config.json");

    /// <summary>The evaluation's folder: metrics.json, comparison.csv and the run's report.</summary>
    public string EvalDirectory => Path.Combine(RunDirectory, "eval");

    /// <summary>Every model's and baseline's metrics on the validation week (<c>eval/metrics.json</c>).</summary>
    public string Metrics => Path.Combine(EvalDirectory, "metrics.json");

    /// <summary>The Kaggle-format submission of the week after the data.</summary>
    public string Submission => Path.Combine(RunDirectory, "submission.csv");

    private static string Shard(int shard) => "shard=" + shard.ToString(CultureInfo.InvariantCulture) + ".parquet";
}

/// <summary>
/// What a trained model leaves in <c>models/{name}/</c>: the contract between the trainers (the LightGBM activities,
/// the two-tower worker) and the evaluation, ensembles, submission and report (<see cref="HmRec.Shared.Data.ModelFiles"/>).
/// </summary>
public sealed record ModelOutputs(string Directory)
{
    /// <summary>Written last: the model is complete when it exists.</summary>
    public string Summary => Path.Combine(Directory, HmRec.Shared.Data.ModelFiles.Summary);

    /// <summary>A score per candidate of the validation week.</summary>
    public string Validation => Path.Combine(Directory, HmRec.Shared.Data.ModelFiles.Validation);

    /// <summary>A score per candidate of the week after the data.</summary>
    public string Test => Path.Combine(Directory, HmRec.Shared.Data.ModelFiles.Test);

    public string TrainingLog => Path.Combine(Directory, HmRec.Shared.Data.ModelFiles.TrainingLog);

    public string FeatureImportance => Path.Combine(Directory, HmRec.Shared.Data.ModelFiles.FeatureImportance);

    /// <summary>A LightGBM ranker's text model (its best round).</summary>
    public string RankerModel => Path.Combine(Directory, HmRec.Shared.Data.ModelFiles.RankerModel);
}
