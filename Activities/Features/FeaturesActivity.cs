using System.Diagnostics;
using HmRec.Activities.Common;
using HmRec.Activities.Recall;
using HmRec.Shared.Analytics;
using static HmRec.Activities.Common.AnalyticsSession;

namespace HmRec.Activities.Features;

/// <summary>
/// Stage 3 for one shard of one label week: every merged candidate gets user, item, user-item, strategy,
/// text (and, when given, image) features computed from transactions before the week's cutoff only, and
/// its label (1 when the user bought the item in the week). Training weeks are negative-sampled per user;
/// the validation week keeps every candidate. Features are FLOAT; a value that does not exist (days since
/// a purchase that never happened, a strategy that did not propose the item, an unknown age) is NULL,
/// which the rankers treat as missing. Skipped when its output exists.
/// </summary>
public static class FeaturesActivity
{
    public const string Name = "Features";

    public static StageOutput Run(ShardTask task)
    {
        var layout = new RunLayout(task.RunDirectory);
        var week = task.Week;
        var output = layout.Features(week.Week, task.Shard);
        var clock = Stopwatch.StartNew();
        using var session = new AnalyticsSession(task.Options.Ingest.MemoryLimit, task.RunDirectory);
        if (session.Existing(output) is { } done)
        {
            return done;
        }
        var c = week.CutoffDay;
        var options = task.Options;
        string G(string table) => $"read_parquet({Quote(layout.Global(week.Week, table))})";
        // Ranks are computed on the narrow candidate table: windows over the wide feature rows cost far more.
        var ranks = string.Join(", ", RecallStrategies.All.Select(s =>
            $"CASE WHEN {s}_score IS NOT NULL THEN rank() OVER (PARTITION BY customer_idx ORDER BY {s}_score DESC NULLS LAST) END AS {s}_rank"));
        session.Execute($"""
            CREATE VIEW tx AS SELECT * FROM read_parquet({Quote(layout.Transactions)}) WHERE day < {c};
            CREATE TABLE cand AS SELECT *, {ranks} FROM read_parquet({Quote(layout.Candidates(week.Week, task.Shard))});
            CREATE TABLE users AS SELECT DISTINCT customer_idx FROM cand;
            CREATE TABLE art AS
              SELECT article_idx, article_id, coalesce(product_code, article_id // 1000) AS code, product_type_no, dense_rank() OVER (ORDER BY product_group_name) AS product_group_code,
                     graphical_appearance_no, colour_group_code, perceived_colour_value_id, perceived_colour_master_id, department_no,
                     ascii(index_code) AS index_code, index_group_no, section_no, garment_group_no, has_metadata
              FROM read_parquet({Quote(layout.Articles)});
            CREATE TABLE h AS
              SELECT t.customer_idx, t.article_idx, t.day, t.price, t.channel, a.code, a.product_type_no, a.department_no
              FROM tx t SEMI JOIN users USING (customer_idx) LEFT JOIN art a USING (article_idx);
            CREATE TABLE uf AS
              SELECT customer_idx, count(*) AS u_purchases, count(DISTINCT article_idx) AS u_items,
                     count(DISTINCT article_idx) / count(*) AS u_exploration,
                     {c} - min(day) AS u_days_since_first, {c} - max(day) AS u_days_since_last,
                     count(DISTINCT day) AS u_active_days,
                     CASE WHEN count(DISTINCT day) > 1 THEN (max(day) - min(day)) / (count(DISTINCT day) - 1) END AS u_avg_gap_days,
                     count(*) FILTER (WHERE day >= {c - 28}) AS u_purchases_4w,
                     count(*) * 7.0 / greatest({c} - min(day), 7) AS u_weekly_rate,
                     {Mean("price")} AS u_price_mean, {StdDev("price")} AS u_price_std, min(price) AS u_price_min, max(price) AS u_price_max,
                     {Mean("(channel = 2)::DOUBLE")} AS u_online_share,
                     count(DISTINCT product_type_no) AS u_categories,
                     count(DISTINCT product_type_no) / count(*) AS u_category_diversity
              FROM h GROUP BY customer_idx;
            CREATE TABLE ui AS
              SELECT customer_idx, article_idx, count(*) AS n, {c} - max(day) AS days_since, {c} - min(day) AS days_since_first,
                     count(*) FILTER (WHERE day >= {c - 1}) AS n_1d, count(*) FILTER (WHERE day >= {c - 7}) AS n_7d,
                     count(*) FILTER (WHERE day >= {c - 30}) AS n_30d
              FROM h GROUP BY customer_idx, article_idx;
            CREATE TABLE wp AS
              SELECT p.*, a.code, a.product_type_no, a.section_no,
                     CASE WHEN p.days > 1 THEN (p.last_day - p.first_day) / (p.days - 1) END AS gap,
                     row_number() OVER (PARTITION BY p.customer_idx ORDER BY p.last_day DESC, p.n DESC, p.article_idx) AS recency_rank
              FROM ({WholeHistory.Pairs(layout, "users")}) p LEFT JOIN art a USING (article_idx);
            CREATE TABLE wu AS
              SELECT w.*, coalesce(i.items, 0) AS items FROM ({WholeHistory.Customers(layout, "users")}) w
              LEFT JOIN (SELECT customer_idx, count(*) AS items FROM wp GROUP BY ALL) i USING (customer_idx);
            CREATE TABLE wcode AS
              SELECT customer_idx, code, sum(n) AS n, {c} - max(last_day) AS days_since FROM wp GROUP BY ALL;
            CREATE TABLE wtype AS
              SELECT customer_idx, product_type_no, sum(n) AS n, {c} - max(last_day) AS days_since,
                     CASE WHEN sum(days) > 1 THEN (max(last_day) - min(first_day)) / (sum(days) - 1) END AS gap
              FROM wp WHERE product_type_no IS NOT NULL GROUP BY ALL;
            CREATE TABLE wsection AS
              SELECT customer_idx, section_no, sum(n) AS n, {c} - max(last_day) AS days_since FROM wp WHERE section_no IS NOT NULL GROUP BY ALL;
            CREATE TABLE ucode AS
              SELECT customer_idx, code, count(*) AS n, count(DISTINCT article_idx) AS articles, {c} - max(day) AS days_since,
                     count(*) FILTER (WHERE day >= {c - 1}) AS n_1d, count(*) FILTER (WHERE day >= {c - 7}) AS n_7d,
                     count(*) FILTER (WHERE day >= {c - 30}) AS n_30d
              FROM h GROUP BY customer_idx, code;
            CREATE TABLE last_week AS
              SELECT article_idx, row_number() OVER (ORDER BY count(*) DESC, article_idx) AS pos FROM tx WHERE day >= {c - 7}
              GROUP BY article_idx QUALIFY pos <= 12;
            CREATE TABLE rule_fill AS
              SELECT u.customer_idx, l.article_idx, row_number() OVER (PARTITION BY u.customer_idx ORDER BY l.pos) AS fill_rank
              FROM users u CROSS JOIN last_week l
              WHERE NOT EXISTS (SELECT 1 FROM wp WHERE wp.customer_idx = u.customer_idx AND wp.article_idx = l.article_idx);
            CREATE TABLE ucat AS
              SELECT customer_idx, product_type_no, count(*) AS n, {c} - max(day) AS days_since,
                     rank() OVER (PARTITION BY customer_idx ORDER BY count(*) DESC) AS category_rank,
                     row_number() OVER (PARTITION BY customer_idx ORDER BY count(*) DESC, product_type_no) AS category_order
              FROM h WHERE product_type_no IS NOT NULL GROUP BY customer_idx, product_type_no;
            CREATE TABLE utop AS SELECT customer_idx, product_type_no AS u_top_category FROM ucat WHERE category_order = 1;
            CREATE TABLE udept AS SELECT customer_idx, department_no, count(*) AS n FROM h WHERE department_no IS NOT NULL GROUP BY ALL;
            CREATE TABLE profiles AS {TextProfiles.Sql("users", layout.TextVectors, c, options.Recall.Text)};
            """);
        var d = options.Recall.Text.Dimensions;
        var textSimilarity = string.Join(" + ", Enumerable.Range(0, d).Select(i => $"p.p{i} * v.v{i}"));
        var image = ImageFeature(session, options.Features.ImageEmbeddings, layout, c, options.Recall.Text);

        var strategyColumns = string.Join(",\n", RecallStrategies.All.SelectMany(s => new[]
        {
            $"c.{s}_score", $"c.from_{s}",
            $"c.{s}_rank",
        }));
        var features = $"""
            SELECT {week.Week} AS week, c.customer_idx, c.article_idx, (l.customer_idx IS NOT NULL)::TINYINT AS label,
              {strategyColumns},
              c.n_strategies,
              coalesce(uf.u_purchases, 0) AS u_purchases, coalesce(uf.u_items, 0) AS u_items, uf.u_exploration,
              uf.u_days_since_first, uf.u_days_since_last, coalesce(uf.u_active_days, 0) AS u_active_days, uf.u_avg_gap_days,
              coalesce(uf.u_purchases_4w, 0) AS u_purchases_4w, coalesce(uf.u_weekly_rate, 0) AS u_weekly_rate,
              uf.u_price_mean, uf.u_price_std, uf.u_price_min, uf.u_price_max, uf.u_online_share,
              coalesce(uf.u_categories, 0) AS u_categories, uf.u_category_diversity, utop.u_top_category,
              cu.age AS u_age, cu.fn AS u_fn, cu.active AS u_active,
              CASE cu.club_member_status WHEN 'ACTIVE' THEN 1 WHEN 'PRE-CREATE' THEN 2 WHEN 'LEFT CLUB' THEN 3 END AS u_club_status,
              CASE upper(cu.fashion_news_frequency) WHEN 'NONE' THEN 0 WHEN 'MONTHLY' THEN 1 WHEN 'REGULARLY' THEN 2 END AS u_news_frequency,
              coalesce(i.sales, 0) AS i_sales, coalesce(i.buyers, 0) AS i_buyers,
              {c} - i.first_day AS i_days_since_first, {c} - i.last_day AS i_days_since_last,
              coalesce(i.sales_7d, 0) AS i_sales_7d, coalesce(i.sales_21d, 0) AS i_sales_21d, i.trend AS i_trend,
              coalesce(i.popularity, 0) AS i_popularity, i.price_mean AS i_price_mean, i.online_share AS i_online_share,
              i.buyer_age_mean AS i_buyer_age_mean,
              a.has_metadata::TINYINT AS i_has_metadata, a.product_type_no, a.product_group_code, a.graphical_appearance_no,
              a.colour_group_code, a.perceived_colour_value_id, a.perceived_colour_master_id, a.department_no, a.index_code,
              a.index_group_no, a.section_no, a.garment_group_no,
              (ui.n IS NOT NULL)::TINYINT AS ui_bought, coalesce(ui.n, 0) AS ui_count, ui.days_since AS ui_days_since,
              ui.days_since_first AS ui_days_since_first, coalesce(ui.n_1d, 0) AS ui_count_1d, coalesce(ui.n_7d, 0) AS ui_count_7d,
              coalesce(ui.n_30d, 0) AS ui_count_30d, wp.recency_rank AS ui_recency_rank,
              coalesce(wp.n, 0) AS ui_all_count, coalesce(wp.days, 0) AS ui_all_days, {c} - wp.last_day AS ui_all_days_since,
              {c} - wp.first_day AS ui_all_days_since_first, wp.gap AS ui_all_gap, ({c} - wp.last_day) / nullif(wp.gap, 0) AS ui_all_due,
              coalesce(wcode.n, 0) AS ui_code_all_count, wcode.days_since AS ui_code_all_days_since,
              coalesce(wtype.n, 0) AS ui_type_all_count, wtype.days_since AS ui_type_all_days_since, wtype.gap AS ui_type_all_gap,
              wtype.days_since / nullif(wtype.gap, 0) AS ui_type_all_due,
              coalesce(wsection.n, 0) AS ui_section_all_count, wsection.days_since AS ui_section_all_days_since,
              coalesce(wu.n, 0) AS u_all_purchases, coalesce(wu.days, 0) AS u_all_days, coalesce(wu.items, 0) AS u_all_items,
              {c} - wu.first_day AS u_all_days_since_first,
              CASE WHEN wu.days > 1 THEN (wu.last_day - wu.first_day) / (wu.days - 1) END AS u_all_gap,
              i.sales_all AS i_all_sales, i.buyers_all AS i_all_buyers, i.repurchase_rate_all AS i_all_repurchase_rate,
              i.gap_all AS i_all_gap, i.last_year_sales AS i_last_year_sales, i.last_year_share AS i_last_year_share,
              i.type_last_year_share AS i_type_last_year_share,
              coalesce(ucode.n, 0) AS uc_count, coalesce(ucode.articles, 0) AS uc_articles, ucode.days_since AS uc_days_since,
              coalesce(ucode.n_1d, 0) AS uc_count_1d, coalesce(ucode.n_7d, 0) AS uc_count_7d, coalesce(ucode.n_30d, 0) AS uc_count_30d,
              coalesce(wp.recency_rank, wu.items + rf.fill_rank) AS rule_rank,
              i.repurchase_rate AS i_repurchase_rate, i.buyers_7d AS i_buyers_7d,
              coalesce(ucat.n, 0) AS ui_category_count, coalesce(ucat.n, 0) / uf.u_purchases AS ui_category_share,
              ucat.days_since AS ui_category_days_since, ucat.category_rank AS ui_category_rank,
              coalesce(udept.n, 0) / uf.u_purchases AS ui_department_share,
              i.price_mean / uf.u_price_mean AS ui_price_ratio, i.price_mean - uf.u_price_mean AS ui_price_diff,
              (i.price_mean - uf.u_price_mean) / nullif(uf.u_price_std, 0) AS ui_price_z,
              abs(cu.age - i.buyer_age_mean) AS ui_age_gap,
              CASE WHEN p.customer_idx IS NOT NULL AND v.article_idx IS NOT NULL THEN {textSimilarity} END AS text_similarity
              {image.Column}
            FROM cand c
            LEFT JOIN {G("labels")} l ON l.customer_idx = c.customer_idx AND l.article_idx = c.article_idx
            LEFT JOIN uf ON uf.customer_idx = c.customer_idx
            LEFT JOIN utop ON utop.customer_idx = c.customer_idx
            LEFT JOIN read_parquet({Quote(layout.Customers)}) cu ON cu.customer_idx = c.customer_idx
            LEFT JOIN {G("items")} i ON i.article_idx = c.article_idx
            LEFT JOIN art a ON a.article_idx = c.article_idx
            LEFT JOIN ui ON ui.customer_idx = c.customer_idx AND ui.article_idx = c.article_idx
            LEFT JOIN wp ON wp.customer_idx = c.customer_idx AND wp.article_idx = c.article_idx
            LEFT JOIN wu ON wu.customer_idx = c.customer_idx
            LEFT JOIN wcode ON wcode.customer_idx = c.customer_idx AND wcode.code = a.code
            LEFT JOIN wtype ON wtype.customer_idx = c.customer_idx AND wtype.product_type_no = a.product_type_no
            LEFT JOIN wsection ON wsection.customer_idx = c.customer_idx AND wsection.section_no = a.section_no
            LEFT JOIN ucode ON ucode.customer_idx = c.customer_idx AND ucode.code = a.code
            LEFT JOIN rule_fill rf ON rf.customer_idx = c.customer_idx AND rf.article_idx = c.article_idx
            LEFT JOIN ucat ON ucat.customer_idx = c.customer_idx AND ucat.product_type_no = a.product_type_no
            LEFT JOIN udept ON udept.customer_idx = c.customer_idx AND udept.department_no = a.department_no
            LEFT JOIN profiles p ON p.customer_idx = c.customer_idx
            LEFT JOIN read_parquet({Quote(layout.TextVectors)}) v ON v.article_idx = c.article_idx
            {image.Join}
            """;
        var sampled = !week.IsTraining || options.Features.NegativesPerPositive is not { } ratio
            ? "SELECT * FROM f"
            : $"""
              SELECT * EXCLUDE (positives, negatives) FROM (
                SELECT *, sum(label) OVER (PARTITION BY customer_idx) AS positives, count(*) OVER (PARTITION BY customer_idx) - positives AS negatives FROM f)
              WHERE label = 1
                 OR (positives > 0 AND (hash(customer_idx, article_idx, {options.Seed}::UBIGINT, {week.Week}) % 1000000) / 1000000.0 < {Num(ratio)}::DOUBLE * positives / negatives)
              """;
        session.Execute($"CREATE TABLE f AS {features}");
        session.CopyToParquet($"""
            SELECT week::SMALLINT AS week, customer_idx, article_idx, label, COLUMNS(* EXCLUDE (week, customer_idx, article_idx, label))::FLOAT
            FROM ({sampled}) ORDER BY customer_idx, article_idx
            """, output);
        return session.Written(output, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The optional image feature: cosine between the item's embedding and the user's profile (the same
    /// recency-weighted mean over recent items as the text profile). The file must hold <c>article_id</c>
    /// and a list of floats <c>embedding</c>.
    /// </summary>
    private static (string Column, string Join) ImageFeature(AnalyticsSession session, string? path, RunLayout layout, int cutoff, Shared.Options.TextOptions profile)
    {
        if (path is null)
        {
            return ("", "");
        }
        using (var r = session.Connection.Query($"DESCRIBE SELECT * FROM read_parquet({Quote(path)})"))
        {
            var names = r.ReadAll().GetStrings("column_name").Values;
            foreach (var required in new[] { "article_id", "embedding" })
            {
                if (!names.Contains(required))
                {
                    throw new ArgumentException($"Features.ImageEmbeddings: {path} has no '{required}' column; expected article_id and embedding (a list of floats).");
                }
            }
        }
        session.Execute($"""
            CREATE TABLE img AS
              SELECT a.article_idx, e.embedding::FLOAT[] AS vec FROM read_parquet({Quote(path)}) e JOIN art a ON a.article_id = e.article_id::BIGINT;
            CREATE TABLE uimg AS
              WITH recent AS (
                SELECT customer_idx, article_idx, {Decay("last_day", cutoff, profile.HalfLifeDays)} AS w
                FROM (SELECT customer_idx, article_idx, max(day) AS last_day FROM h SEMI JOIN img USING (article_idx) GROUP BY ALL)
                QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, article_idx) <= {profile.ProfileItems}),
              el AS (SELECT r.customer_idx, r.w, unnest(i.vec) AS x, unnest(range(len(i.vec))) AS k FROM recent r JOIN img i USING (article_idx)),
              sums AS (SELECT customer_idx, k, {Sum("w * x")} AS s FROM el GROUP BY ALL)
              SELECT customer_idx, list(s ORDER BY k)::FLOAT[] AS vec FROM sums GROUP BY customer_idx;
            """);
        return (", list_cosine_similarity(uimg.vec, img.vec) AS image_similarity",
            "LEFT JOIN uimg ON uimg.customer_idx = c.customer_idx LEFT JOIN img ON img.article_idx = c.article_idx");
    }
}
