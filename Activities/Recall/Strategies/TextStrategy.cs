using System.ComponentModel.DataAnnotations;
using System.Numerics.Tensors;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>
/// Text similarity: TF-IDF over the article text fields reduced to a dense vector; a user's profile is the
/// decayed mean of the vectors of the items they bought; candidates are the recently sold items closest to it.
/// </summary>
public sealed record TextOptions : IRecallStrategyOptions
{
    /// <summary>Candidates per user (default 12).</summary>
    [Range(1, 1000)] public int TopN { get; init; } = 12;

    /// <summary>Length of the dense article vector (default 32).</summary>
    [Range(2, 1024)] public int Dimensions { get; init; } = 32;

    /// <summary>Items scored per user: the best-sellers of the last <see cref="PoolDays"/> (default 2000).</summary>
    [Range(1, 1_000_000)] public int PoolSize { get; init; } = 2000;

    /// <summary>Days of sales that define the pool (default 28).</summary>
    [Range(1, 3650)] public int PoolDays { get; init; } = 28;

    /// <summary>The user's most recent distinct items in the profile (default 20).</summary>
    [Range(1, 1000)] public int ProfileItems { get; init; } = 20;

    /// <summary>An item bought this many days ago weighs half in the profile (default 30).</summary>
    [Positive] public double HalfLifeDays { get; init; } = 30;
}

/// <summary>
/// The <c>text</c> recall strategy (options: <c>Recall.Text</c>): the articles of the week's pool whose text vectors are
/// closest (cosine) to the user's profile, the decayed mean of the vectors of what the user bought (<see cref="TextProfiles"/>).
/// </summary>
internal sealed class TextStrategy() : RecallStrategy<TextOptions>(RecallStrategies.Text, r => r.Text)
{
    /// <summary>Text recall: cosine between each user's profile and every pool item's vector, best TopN kept.</summary>
    public override void Write(AnalyticsSession session, RecallContext context, string output)
    {
        var task = context.Task;
        var layout = context.Layout;
        var options = OptionsIn(context);
        var d = options.Dimensions;
        var (users, profiles) = ReadVectors(session, TextProfiles.Sql("targets", layout.TextVectors, task.Week.CutoffDay, options), "customer_idx", "p", d);
        var (items, pool) = ReadVectors(session, $"SELECT * FROM read_parquet({Quote(layout.Global(task.Week.Week, "text_pool"))})", "article_idx", "v", d, columnMajor: true);

        session.Execute("CREATE TABLE text_candidates (customer_idx INTEGER, article_idx INTEGER, score DOUBLE)");
        using (var appender = session.Connection.CreateAppender("text_candidates"))
        {
            // The best TopN of each user by (score descending, article ascending), kept sorted while the pool is scanned:
            // the same items, in the same order, as sorting the whole pool, at a fraction of the comparisons.
            var topN = Math.Min(options.TopN, items.Length);
            var bestItem = new int[topN];
            var bestScore = new float[topN];
            var scores = new float[items.Length];
            for (var u = 0; u < users.Length; u++)
            {
                // Every pool item's score at once, a dimension at a time over the pool's columns (vectorised over items).
                Array.Clear(scores);
                for (var j = 0; j < d; j++)
                {
                    TensorPrimitives.MultiplyAdd(pool.AsSpan(j * items.Length, items.Length), profiles[u * d + j], scores, scores);
                }
                var kept = 0;
                for (var i = 0; i < items.Length; i++)
                {
                    var score = scores[i];
                    if (float.IsNaN(score))
                    {
                        score = float.NegativeInfinity; // last, as a sort would place it
                    }
                    if (kept == topN && !Better(score, items[i], bestScore[kept - 1], items[bestItem[kept - 1]]))
                    {
                        continue;
                    }
                    var at = kept == topN ? kept - 1 : kept++;
                    while (at > 0 && Better(score, items[i], bestScore[at - 1], items[bestItem[at - 1]]))
                    {
                        bestScore[at] = bestScore[at - 1];
                        bestItem[at] = bestItem[at - 1];
                        at--;
                    }
                    bestScore[at] = score;
                    bestItem[at] = i;
                }
                for (var j = 0; j < kept; j++)
                {
                    appender.CreateRow().AppendValue(users[u]).AppendValue(items[bestItem[j]]).AppendValue((double)bestScore[j]).EndRow();
                }
            }
            appender.Close();
        }
        session.CopyToParquet("SELECT * FROM text_candidates ORDER BY customer_idx, score DESC, article_idx", output);
    }

    /// <summary>Whether (score a, article a) ranks before (score b, article b): higher score, then lower article.</summary>
    private static bool Better(float scoreA, int articleA, float scoreB, int articleB) => scoreA > scoreB || (scoreA == scoreB && articleA < articleB);

    /// <summary>Ids and their d-dimensional vectors, row by row (vector i at i * d) or column by column (dimension j at j * n).</summary>
    private static (int[] Ids, float[] Vectors) ReadVectors(AnalyticsSession session, string query, string idColumn, string prefix, int d, bool columnMajor = false)
    {
        using var result = session.Connection.Query($"SELECT * FROM ({query}) ORDER BY {idColumn}");
        var rows = result.ReadAll();
        var ids = rows.Get<int>(idColumn).Values;
        var vectors = new float[ids.Length * d];
        for (var j = 0; j < d; j++)
        {
            var column = rows.Get<float>(prefix + j.ToString(System.Globalization.CultureInfo.InvariantCulture)).Values;
            for (var i = 0; i < ids.Length; i++)
            {
                vectors[columnMajor ? j * ids.Length + i : i * d + j] = column[i];
            }
        }
        return (ids, vectors);
    }

    public override IReadOnlyList<string> WeekTables => ["text_pool"];

    /// <summary>The pool: the vectors of the eligible articles sold most in the last days.</summary>
    protected override void WriteWeekTables(AnalyticsSession session, RecallWeekContext week, TextOptions text)
    {
        session.CopyToParquet($"""
            SELECT v.*
            FROM (SELECT article_idx, count(*) AS n FROM tx WHERE day >= {week.Cutoff - text.PoolDays} GROUP BY article_idx) s
            SEMI JOIN {week.Eligible} e ON e.article_idx = s.article_idx
            JOIN read_parquet({Quote(week.Layout.TextVectors)}) v ON v.article_idx = s.article_idx
            ORDER BY s.n DESC, s.article_idx LIMIT {text.PoolSize}
            """, week.GlobalPath("text_pool"));
    }
}
