namespace HmRec.Activities.Recall.Strategies;

/// <summary>What a strategy's week tables are built from: the label week, the options, the run's files and the week's global tables.</summary>
public class RecallWeekContext(LabelWeek week, PipelineOptions options, RunLayout layout)
{
    public LabelWeek Week => week;

    public RunLayout Layout => layout;

    public RecallOptions Options => options.Recall;

    /// <summary>The first day of the label week: nothing on or after it is read.</summary>
    public int Cutoff => week.CutoffDay;

    /// <summary>The file of one of the week's global tables (targets, items, popularity, a strategy's own...).</summary>
    public string GlobalPath(string table) => layout.Global(week.Week, table);

    /// <summary>A read of one of the week's global tables.</summary>
    public string Global(string table) => $"read_parquet({Quote(GlobalPath(table))})";

    /// <summary>The articles that may be recommended.</summary>
    public string Eligible => $"(SELECT article_idx FROM {Global("items")} WHERE eligible)";
}

/// <summary>What a strategy's shard works on: its task (week, shard, options) besides the week's context.</summary>
public sealed class RecallContext(RecallShardTask task, RunLayout layout) : RecallWeekContext(task.Week, task.Options, layout)
{
    public RecallShardTask Task => task;
}

/// <summary>What every strategy's options hold: how many candidates a user gets at most.</summary>
public interface IRecallStrategyOptions
{
    int TopN { get; }
}

/// <summary>
/// One recall strategy, each in a file of its own in this folder beside its options record, and registered in
/// <see cref="RecallStrategies.Registered"/>: its name (the folder of its outputs and the prefix of its feature columns)
/// and how it writes a shard's candidates. The per-week tables only it reads are its own too (<see cref="WeekTables"/>),
/// built once a week by <see cref="RecallGlobalActivity"/>.
/// </summary>
public abstract class RecallStrategy
{
    /// <summary>The strategy's name: <c>recall/week=W/{name}/</c>, and the <c>{name}_score</c>, <c>from_{name}</c> and <c>{name}_rank</c> columns.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Writes the shard's candidates to <paramref name="output"/>: <c>customer_idx, article_idx, score</c>, each user's best
    /// by score (ties by article). The session holds <c>tx</c> (the transactions before the cutoff) and <c>targets</c> (the shard's users).
    /// </summary>
    public abstract void Write(AnalyticsSession session, RecallContext context, string output);

    /// <summary>The per-week tables only this strategy reads (<c>recall/week=W/global/{table}.parquet</c>), in the order they are written.</summary>
    public virtual IReadOnlyList<string> WeekTables => [];

    /// <summary>
    /// Writes <see cref="WeekTables"/>, once per week, after the shared tables (targets, labels, items, popularity). The
    /// session holds the views <c>tx</c> (every transaction before the cutoff), <c>articles</c> and <c>year_ago</c>.
    /// </summary>
    public abstract void WriteWeekTables(AnalyticsSession session, RecallWeekContext week);
}

/// <summary>
/// A strategy and its options record <typeparamref name="TOptions"/> (the property of <see cref="RecallOptions"/> that
/// <paramref name="select"/> reads): a strategy gives its scored pairs as a query from its own options, and the base
/// keeps each user's best <see cref="IRecallStrategyOptions.TopN"/>.
/// </summary>
public abstract class RecallStrategy<TOptions>(string name, Func<RecallOptions, TOptions> select) : RecallStrategy
    where TOptions : IRecallStrategyOptions
{
    public sealed override string Name => name;

    /// <summary>This strategy's options in the run's options.</summary>
    protected TOptions OptionsIn(RecallWeekContext context) => select(context.Options);

    public override void Write(AnalyticsSession session, RecallContext context, string output)
    {
        var options = OptionsIn(context);
        session.CopyToParquet($"""
            SELECT customer_idx::INTEGER AS customer_idx, article_idx::INTEGER AS article_idx, score::DOUBLE AS score FROM ({Candidates(context, options)})
            QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY score DESC, article_idx) <= {Cut(options)}
            ORDER BY customer_idx, score DESC, article_idx
            """, output);
    }

    /// <summary>The strategy's scored (customer, article) pairs, before each user's best are kept.</summary>
    protected virtual string Candidates(RecallContext context, TOptions options) =>
        throw new NotSupportedException($"The {Name} strategy writes its candidates itself.");

    /// <summary>How many of each user's best pairs are kept.</summary>
    protected virtual int Cut(TOptions options) => options.TopN;

    public sealed override void WriteWeekTables(AnalyticsSession session, RecallWeekContext week) => WriteWeekTables(session, week, OptionsIn(week));

    /// <summary>Writes <see cref="RecallStrategy.WeekTables"/> from this strategy's options.</summary>
    protected virtual void WriteWeekTables(AnalyticsSession session, RecallWeekContext week, TOptions options)
    {
    }
}
