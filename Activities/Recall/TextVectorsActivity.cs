namespace HmRec.Activities.Recall;

/// <summary>Builds the run's article text vectors once (they do not depend on the label week); skipped when they exist.</summary>
public static class TextVectorsActivity
{
    public const string Name = "RecallTextVectors";

    /// <summary>The activity: it reads the articles and its own earlier output.</summary>
    public static readonly ActivityDefinition<RunTask, StageOutput> Definition = new(Name, (_, t) => t.RunDirectory,
        _ => ["ingest/**", "recall/text_vectors.parquet"], ActivityDefinition<RunTask, StageOutput>.OnThreadPool(Run));

    public static StageOutput Run(RunTask task)
    {
        var layout = new RunLayout(task.RunDirectory);
        var clock = Stopwatch.StartNew();
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        if (File.Exists(layout.TextVectors))
        {
            return new StageOutput(layout.TextVectors, session.Scalar<long>($"SELECT count(*) FROM read_parquet({DuckDb.Quote(layout.TextVectors)})"), 0, 0, Skipped: true);
        }
        var rows = TextVectorizer.Write(session, layout.Articles, layout.TextVectors, task.Options.Recall.Text.Dimensions, task.Options.Seed);
        return new StageOutput(layout.TextVectors, rows, 0, clock.Elapsed.TotalSeconds, Skipped: false);
    }
}
