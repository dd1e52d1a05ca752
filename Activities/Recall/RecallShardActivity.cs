using System.Diagnostics;
using System.Numerics.Tensors;
using HmRec.Activities.Common;
using HmRec.Shared.Analytics;
using static HmRec.Activities.Common.AnalyticsSession;
using static HmRec.Shared.Analytics.DuckDb;

namespace HmRec.Activities.Recall;

/// <summary>
/// One recall strategy for one shard of one label week's target users: reads the transactions before the
/// week's cutoff and the week's global tables, and writes <c>customer_idx, article_idx, score</c>, the
/// strategy's best <c>TopN</c> items per user (ties broken by article). Skipped when its output exists.
/// </summary>
public static class RecallShardActivity
{
    public const string Name = "RecallShard";

    /// <summary>The activity: it reads the ingest tables, the text vectors, its week's global tables and its own earlier output.</summary>
    public static readonly ActivityDefinition<RecallShardTask, StageOutput> Definition = new(Name, (_, t) => t.RunDirectory,
        t => ["ingest/**", "recall/text_vectors.parquet", $"recall/{RunLayout.WeekName(t.Week.Week)}/global/**", $"recall/{RunLayout.WeekName(t.Week.Week)}/{t.Strategy}/**"],
        ActivityDefinition<RecallShardTask, StageOutput>.OnThreadPool(Run));

    public static StageOutput Run(RecallShardTask task)
    {
        var strategy = task.Strategy;
        if (!RecallStrategies.All.Contains(strategy))
        {
            throw new ArgumentException($"Unknown recall strategy '{strategy}'; expected one of {string.Join(", ", RecallStrategies.All)}.");
        }
        var layout = new RunLayout(task.RunDirectory);
        var output = layout.Recall(task.Week.Week, strategy, task.Shard);
        var clock = Stopwatch.StartNew();
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        if (session.Existing(output) is { } done)
        {
            return done;
        }
        var c = task.Week.CutoffDay;
        session.Execute($"""
            CREATE VIEW tx AS SELECT * FROM read_parquet({Quote(layout.Transactions)}) WHERE day < {c};
            CREATE TABLE targets AS SELECT customer_idx FROM read_parquet({Quote(layout.Global(task.Week.Week, "targets"))}) WHERE shard = {task.Shard};
            """);
        if (strategy == RecallStrategies.Text)
        {
            WriteText(session, task, layout, output);
        }
        else
        {
            if (strategy == RecallStrategies.UserKnn)
            {
                string G(string table) => $"read_parquet({Quote(layout.Global(task.Week.Week, table))})";
                UserNeighbours.Write(session, task.Options.Recall.UserKnn, G("knn_user_items"), G("knn_item_buyers"));
            }
            var (query, topN) = Query(strategy, task, layout);
            session.CopyToParquet($"""
                SELECT customer_idx::INTEGER AS customer_idx, article_idx::INTEGER AS article_idx, score::DOUBLE AS score FROM ({query})
                QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY score DESC, article_idx) <= {topN}
                ORDER BY customer_idx, score DESC, article_idx
                """, output);
        }
        return session.Written(output, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The strategy's scored (customer, article) pairs before the top-N cut, and N.</summary>
    private static (string Query, int TopN) Query(string strategy, RecallShardTask task, RunLayout layout)
    {
        var r = task.Options.Recall;
        var c = task.Week.CutoffDay;
        string G(string table) => $"read_parquet({Quote(layout.Global(task.Week.Week, table))})";
        var eligible = $"(SELECT article_idx FROM {G("items")} WHERE eligible)";
        return strategy switch
        {
            // Over the whole history: the best TopN by decayed score (recent and frequent purchases first), and the user's
            // KeepRecent latest items whatever their score (the rule's items).
            RecallStrategies.Repurchase => ($"""
                SELECT customer_idx, article_idx, score FROM ({WholeHistory.DecayedScores(layout, "SEMI JOIN targets USING (customer_idx)", c, r.Repurchase.HalfLifeDays, r.Repurchase.WindowDays)})
                QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY score DESC, article_idx) <= {r.Repurchase.TopN}
                     OR row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, n DESC, article_idx) <= {r.Repurchase.KeepRecent}
                """, int.MaxValue),

            RecallStrategies.Popularity => ($"""
                SELECT t.customer_idx, p.article_idx, p.score FROM targets t CROSS JOIN {G("popularity")} p
                """, r.Popularity.TopN),

            RecallStrategies.CoPurchase => ($"""
                WITH seeds AS (
                  SELECT customer_idx, article_idx, {Decay("last_day", c, r.CoPurchase.HalfLifeDays)} AS w
                  FROM (SELECT customer_idx, article_idx, max(day) AS last_day FROM tx SEMI JOIN targets USING (customer_idx) GROUP BY ALL)
                  QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, article_idx) <= {r.CoPurchase.SeedItems})
                SELECT s.customer_idx, p.b AS article_idx, {Sum("s.w * p.jaccard")} AS score
                FROM seeds s JOIN {G("copurchase")} p ON p.a = s.article_idx
                GROUP BY ALL
                """, r.CoPurchase.TopN),

            // The neighbours are computed first (UserNeighbours); each proposes its recent purchases weighted by similarity.
            RecallStrategies.UserKnn => ($"""
                SELECT n.u AS customer_idx, t.article_idx, {Sum($"n.sim * {Decay("t.day", c, r.UserKnn.HalfLifeDays)}")} AS score
                FROM {UserNeighbours.Table} n JOIN tx t ON t.customer_idx = n.v
                SEMI JOIN {eligible} e ON e.article_idx = t.article_idx
                WHERE t.day >= {c - r.UserKnn.ItemWindowDays}
                GROUP BY ALL
                """, r.UserKnn.TopN),

            RecallStrategies.Category => ($"""
                WITH prefs AS (
                  SELECT t.customer_idx, a.{r.Category.Column} AS category, {Sum(Decay("t.day", c, r.Category.HalfLifeDays))} AS w
                  FROM tx t SEMI JOIN targets USING (customer_idx) JOIN read_parquet({Quote(layout.Articles)}) a USING (article_idx)
                  WHERE a.{r.Category.Column} IS NOT NULL GROUP BY ALL),
                shares AS (
                  SELECT customer_idx, category, w / (sum(round(w * 1e12)::BIGINT) OVER (PARTITION BY customer_idx) / 1e12) AS pref FROM prefs
                  QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY w DESC, category) <= {r.Category.TopCategories})
                SELECT s.customer_idx, ct.article_idx, s.pref * ct.item_score AS score
                FROM shares s JOIN {G("category_tops")} ct USING (category)
                """, r.Category.TopN),

            // Other articles of the product codes the user bought (articles without metadata: the code is article_id / 1000),
            // weighted by how recently the seed was bought and by the article's share of its code's recent sales.
            RecallStrategies.SameCode => ($"""
                WITH codes AS (
                  SELECT article_idx, coalesce(product_code, article_id // 1000) AS code FROM read_parquet({Quote(layout.Articles)})),
                seeds AS (
                  SELECT customer_idx, article_idx, {Decay("last_day", c, r.SameCode.HalfLifeDays)} AS w
                  FROM ({WholeHistory.Pairs(layout, "targets")})
                  QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, article_idx) <= {r.SameCode.SeedItems}),
                siblings AS (
                  SELECT k.code, k.article_idx, (i.sales_21d + 1.0) / (sum(i.sales_21d + 1) OVER (PARTITION BY k.code)) AS share
                  FROM codes k JOIN {G("items")} i USING (article_idx) WHERE i.eligible)
                SELECT s.customer_idx, b.article_idx, {Sum("s.w * b.share")} AS score
                FROM seeds s JOIN codes k USING (article_idx) JOIN siblings b ON b.code = k.code AND b.article_idx <> s.article_idx
                GROUP BY ALL
                """, r.SameCode.TopN),

            RecallStrategies.BestSellers => ($"""
                WITH best AS (
                  SELECT article_idx, count(*)::DOUBLE AS n FROM tx SEMI JOIN {eligible} e USING (article_idx)
                  WHERE day >= {c - r.BestSellers.WindowDays} GROUP BY article_idx
                  ORDER BY n DESC, article_idx LIMIT {r.BestSellers.TopN})
                SELECT t.customer_idx, b.article_idx, b.n AS score FROM targets t CROSS JOIN best b
                """, r.BestSellers.TopN),

            // What the user bought a year before this week (one week either side): those articles first (score above 1), then
            // the product types bought then, each as its share of those purchases times its best sellers' shares of its recent sales.
            RecallStrategies.LastYear => ($"""
                WITH ly AS (
                  SELECT customer_idx, article_idx, count(*) AS n FROM read_parquet({Quote(layout.YearAgo)}) SEMI JOIN targets USING (customer_idx)
                  WHERE week BETWEEN {task.Week.Week + 51} AND {task.Week.Week + 53} GROUP BY ALL),
                types AS (
                  SELECT ly.customer_idx, a.product_type_no AS category, sum(ly.n) / sum(sum(ly.n)) OVER (PARTITION BY ly.customer_idx) AS share
                  FROM ly JOIN read_parquet({Quote(layout.Articles)}) a USING (article_idx) WHERE a.product_type_no IS NOT NULL
                  GROUP BY ly.customer_idx, a.product_type_no)
                SELECT customer_idx, article_idx, max(score) AS score FROM (
                  SELECT customer_idx, article_idx, 1.0 + n AS score FROM ly
                  UNION ALL
                  SELECT t.customer_idx, tt.article_idx, t.share * tt.item_score FROM types t JOIN {G("type_tops")} tt USING (category))
                GROUP BY customer_idx, article_idx
                """, r.LastYear.TopN),

            _ => throw new ArgumentException($"No query for strategy '{strategy}'."),
        };
    }

    /// <summary>Text recall: cosine between each user's profile and every pool item's vector, best TopN kept.</summary>
    private static void WriteText(AnalyticsSession session, RecallShardTask task, RunLayout layout, string output)
    {
        var options = task.Options.Recall.Text;
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
}

/// <summary>Input of one recall strategy on one shard of a week's target users.</summary>
public sealed record RecallShardTask(string RunDirectory, LabelWeek Week, int Shard, HmRec.Shared.Options.PipelineOptions Options, string Strategy);
