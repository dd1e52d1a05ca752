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

    /// <summary>The activity: it reads the ingest tables, the text vectors, its week's global tables and candidates, and its own earlier output.</summary>
    public static readonly ActivityDefinition<ShardTask, StageOutput> Definition = new(Name, (_, t) => t.RunDirectory,
        t => ["ingest/**", "recall/text_vectors.parquet", $"recall/{RunLayout.WeekName(t.Week.Week)}/global/**", $"candidates/{RunLayout.WeekName(t.Week.Week)}/**", $"features/{RunLayout.WeekName(t.Week.Week)}/**"],
        ActivityDefinition<ShardTask, StageOutput>.OnThreadPool(Run));

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
        session.Execute($"""
            CREATE VIEW tx AS SELECT * FROM read_parquet({Quote(layout.Transactions)}) WHERE day < {c};
            CREATE TABLE cand AS {Sample(task, $"read_parquet({Quote(layout.Candidates(week.Week, task.Shard))})", G("labels"))};
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
              SELECT customer_idx, article_idx,
                     count(*) FILTER (WHERE day >= {c - 1}) AS n_1d, count(*) FILTER (WHERE day >= {c - 7}) AS n_7d,
                     count(*) FILTER (WHERE day >= {c - 30}) AS n_30d
              FROM h WHERE day >= {c - 30} GROUP BY customer_idx, article_idx;
            CREATE TABLE wp AS
              SELECT p.*, a.code, a.product_type_no, a.section_no,
                     CASE WHEN p.days > 1 THEN (p.last_day - p.first_day) / (p.days - 1) END AS gap,
                     row_number() OVER (PARTITION BY p.customer_idx ORDER BY p.last_day DESC, p.n DESC, p.article_idx) AS recency_rank
              FROM ({WholeHistory.Pairs(layout, "users", "h")}) p LEFT JOIN art a USING (article_idx);
            CREATE TABLE wu AS
              SELECT w.*, coalesce(i.items, 0) AS items FROM ({WholeHistory.Customers(layout, "users", "h")}) w
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
              SELECT customer_idx, code, count(DISTINCT article_idx) AS articles,
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
              SELECT customer_idx, product_type_no, count(*) AS n,
                     rank() OVER (PARTITION BY customer_idx ORDER BY count(*) DESC) AS category_rank,
                     row_number() OVER (PARTITION BY customer_idx ORDER BY count(*) DESC, product_type_no) AS category_order
              FROM h WHERE product_type_no IS NOT NULL GROUP BY customer_idx, product_type_no;
            CREATE TABLE utop AS SELECT customer_idx, product_type_no AS u_top_category FROM ucat WHERE category_order = 1;
            CREATE TABLE udept AS SELECT customer_idx, department_no, count(*) AS n FROM h WHERE department_no IS NOT NULL GROUP BY ALL;
            CREATE TABLE profiles AS {TextProfiles.Sql("users", layout.TextVectors, c, options.Recall.Text)};
            """);
        var d = options.Recall.Text.Dimensions;
        var textSimilarity = string.Join(" + ", Enumerable.Range(0, d).Select(i => $"ub.p{i} * ib.v{i}"));
        var image = ImageFeature(session, options.Features.ImageEmbeddings, layout, c, options.Recall.Text);

        var strategyColumns = string.Join(",\n", RecallStrategies.All.SelectMany(s => new[]
        {
            $"c.{s}_score", $"c.from_{s}",
            $"c.{s}_rank",
        }));
        // The features are gathered per key first (user, item, user-item, user-code, user-type), each block small, so that
        // the wide candidate stream takes one join per key rather than one per source table.
        session.Execute($"""
            CREATE TABLE ub AS
              SELECT u.customer_idx,
                coalesce(uf.u_purchases, 0) AS u_purchases, coalesce(uf.u_items, 0) AS u_items, uf.u_exploration,
                {c} - wu.first_day AS u_days_since_first, {c} - wu.last_day AS u_days_since_last, coalesce(uf.u_active_days, 0) AS u_active_days, uf.u_avg_gap_days,
                coalesce(uf.u_purchases_4w, 0) AS u_purchases_4w, coalesce(uf.u_weekly_rate, 0) AS u_weekly_rate,
                uf.u_price_mean, uf.u_price_std, uf.u_price_min, uf.u_price_max, uf.u_online_share,
                coalesce(uf.u_categories, 0) AS u_categories, uf.u_category_diversity, utop.u_top_category,
                cu.age AS u_age, cu.fn AS u_fn, cu.active AS u_active,
                CASE cu.club_member_status WHEN 'ACTIVE' THEN 1 WHEN 'PRE-CREATE' THEN 2 WHEN 'LEFT CLUB' THEN 3 END AS u_club_status,
                CASE upper(cu.fashion_news_frequency) WHEN 'NONE' THEN 0 WHEN 'MONTHLY' THEN 1 WHEN 'REGULARLY' THEN 2 END AS u_news_frequency,
                coalesce(wu.n, 0) AS u_all_purchases, coalesce(wu.days, 0) AS u_all_days, coalesce(wu.items, 0) AS u_all_items,
                CASE WHEN wu.days > 1 THEN (wu.last_day - wu.first_day) / (wu.days - 1) END AS u_all_gap,
                uf.u_purchases AS window_purchases, wu.items AS items_ever, p.customer_idx IS NOT NULL AS has_profile,
                {string.Join(", ", Enumerable.Range(0, d).Select(i => $"p.p{i}"))}
              FROM users u
              LEFT JOIN uf USING (customer_idx) LEFT JOIN utop USING (customer_idx) LEFT JOIN wu USING (customer_idx)
              LEFT JOIN read_parquet({Quote(layout.Customers)}) cu USING (customer_idx) LEFT JOIN profiles p USING (customer_idx);
            CREATE TABLE ib AS
              SELECT a.article_idx, a.code, a.product_type_no AS type_key, a.section_no AS section_key, a.department_no AS department_key,
                i.price_mean, i.buyer_age_mean,
                coalesce(i.sales, 0) AS i_sales, coalesce(i.buyers, 0) AS i_buyers,
                {c} - i.first_day AS i_days_since_first, {c} - i.last_day AS i_days_since_last,
                coalesce(i.sales_7d, 0) AS i_sales_7d, coalesce(i.sales_21d, 0) AS i_sales_21d, i.trend AS i_trend,
                coalesce(i.popularity, 0) AS i_popularity, i.price_mean AS i_price_mean, i.online_share AS i_online_share,
                i.buyer_age_mean AS i_buyer_age_mean,
                a.has_metadata::TINYINT AS i_has_metadata, a.product_type_no, a.product_group_code, a.graphical_appearance_no,
                a.colour_group_code, a.perceived_colour_value_id, a.perceived_colour_master_id, a.department_no, a.index_code,
                a.index_group_no, a.section_no, a.garment_group_no,
                i.sales_all AS i_all_sales, i.buyers_all AS i_all_buyers, i.repurchase_rate_all AS i_all_repurchase_rate,
                i.gap_all AS i_all_gap, i.last_year_sales AS i_last_year_sales, i.last_year_share AS i_last_year_share,
                i.type_last_year_share AS i_type_last_year_share,
                i.repurchase_rate AS i_repurchase_rate, i.buyers_7d AS i_buyers_7d,
                v.article_idx IS NOT NULL AS has_vector,
                {string.Join(", ", Enumerable.Range(0, d).Select(i => $"v.v{i}"))}
              FROM art a SEMI JOIN (SELECT DISTINCT article_idx FROM cand) k USING (article_idx)
              LEFT JOIN {G("items")} i USING (article_idx) LEFT JOIN read_parquet({Quote(layout.TextVectors)}) v USING (article_idx);
            CREATE TABLE pb AS
              SELECT wp.customer_idx, wp.article_idx, wp.n, wp.days, wp.first_day, wp.last_day, wp.gap, wp.recency_rank, ui.n_1d, ui.n_7d, ui.n_30d
              FROM wp LEFT JOIN ui USING (customer_idx, article_idx);
            CREATE TABLE cb AS
              SELECT wcode.customer_idx, wcode.code, wcode.n, wcode.days_since, ucode.articles, ucode.n_1d, ucode.n_7d, ucode.n_30d
              FROM wcode LEFT JOIN ucode USING (customer_idx, code);
            CREATE TABLE tb AS
              SELECT wtype.customer_idx, wtype.product_type_no, wtype.n, wtype.days_since, wtype.gap, ucat.n AS window_n, ucat.category_rank
              FROM wtype LEFT JOIN ucat USING (customer_idx, product_type_no);
            """);
        var features = $"""
            SELECT {week.Week} AS week, c.customer_idx, c.article_idx, (l.customer_idx IS NOT NULL)::TINYINT AS label,
              {strategyColumns},
              c.n_strategies,
              ub.* EXCLUDE (customer_idx, window_purchases, items_ever, has_profile, {string.Join(", ", Enumerable.Range(0, d).Select(i => $"p{i}"))}),
              ib.* EXCLUDE (article_idx, code, type_key, section_key, department_key, price_mean, buyer_age_mean, has_vector,
                            {string.Join(", ", Enumerable.Range(0, d).Select(i => $"v{i}"))}),
              (pb.n IS NOT NULL)::TINYINT AS ui_bought, coalesce(pb.n, 0) AS ui_count, {c} - pb.last_day AS ui_days_since,
              {c} - pb.first_day AS ui_days_since_first, coalesce(pb.n_1d, 0) AS ui_count_1d, coalesce(pb.n_7d, 0) AS ui_count_7d,
              coalesce(pb.n_30d, 0) AS ui_count_30d, pb.recency_rank AS ui_recency_rank,
              coalesce(pb.days, 0) AS ui_all_days, pb.gap AS ui_all_gap, ({c} - pb.last_day) / nullif(pb.gap, 0) AS ui_all_due,
              tb.gap AS ui_type_all_gap, tb.days_since / nullif(tb.gap, 0) AS ui_type_all_due,
              coalesce(wsection.n, 0) AS ui_section_all_count, wsection.days_since AS ui_section_all_days_since,
              coalesce(cb.n, 0) AS uc_count, coalesce(cb.articles, 0) AS uc_articles, cb.days_since AS uc_days_since,
              coalesce(cb.n_1d, 0) AS uc_count_1d, coalesce(cb.n_7d, 0) AS uc_count_7d, coalesce(cb.n_30d, 0) AS uc_count_30d,
              coalesce(pb.recency_rank, ub.items_ever + rf.fill_rank) AS rule_rank,
              coalesce(tb.n, 0) AS ui_category_count, coalesce(tb.window_n, 0) / ub.window_purchases AS ui_category_share,
              tb.days_since AS ui_category_days_since, tb.category_rank AS ui_category_rank,
              coalesce(udept.n, 0) / ub.window_purchases AS ui_department_share,
              ib.price_mean / ub.u_price_mean AS ui_price_ratio, ib.price_mean - ub.u_price_mean AS ui_price_diff,
              (ib.price_mean - ub.u_price_mean) / nullif(ub.u_price_std, 0) AS ui_price_z,
              abs(ub.u_age - ib.buyer_age_mean) AS ui_age_gap,
              CASE WHEN ub.has_profile AND ib.has_vector THEN {textSimilarity} END AS text_similarity
              {image.Column}
            FROM cand c
            LEFT JOIN {G("labels")} l ON l.customer_idx = c.customer_idx AND l.article_idx = c.article_idx
            LEFT JOIN ub ON ub.customer_idx = c.customer_idx
            LEFT JOIN ib ON ib.article_idx = c.article_idx
            LEFT JOIN pb ON pb.customer_idx = c.customer_idx AND pb.article_idx = c.article_idx
            LEFT JOIN rule_fill rf ON rf.customer_idx = c.customer_idx AND rf.article_idx = c.article_idx
            LEFT JOIN cb ON cb.customer_idx = c.customer_idx AND cb.code = ib.code
            LEFT JOIN tb ON tb.customer_idx = c.customer_idx AND tb.product_type_no = ib.type_key
            LEFT JOIN wsection ON wsection.customer_idx = c.customer_idx AND wsection.section_no = ib.section_key
            LEFT JOIN udept ON udept.customer_idx = c.customer_idx AND udept.department_no = ib.department_key
            {image.Join}
            """;
        session.CopyToParquet($"""
            SELECT week::SMALLINT AS week, customer_idx, article_idx, label, COLUMNS(* EXCLUDE (week, customer_idx, article_idx, label))::FLOAT
            FROM ({features}) ORDER BY customer_idx, article_idx
            """, output);
        return session.Written(output, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The candidates whose features are computed: in a training week every positive and, per user with a positive, about
    /// NegativesPerPositive negatives per positive, chosen by a seeded hash of the pair (nothing a feature reads); in the
    /// validation week and the week after the data, every candidate.
    /// </summary>
    private static string Sample(ShardTask task, string candidates, string labels)
    {
        if (!task.Week.IsTraining || task.Options.Features.NegativesPerPositive is not { } ratio)
        {
            return $"SELECT * FROM {candidates}";
        }
        return $"""
            SELECT * EXCLUDE (positive, positives, negatives) FROM (
              SELECT c.*, l.customer_idx IS NOT NULL AS positive,
                     count(*) FILTER (WHERE positive) OVER (PARTITION BY c.customer_idx) AS positives,
                     count(*) OVER (PARTITION BY c.customer_idx) - positives AS negatives
              FROM {candidates} c LEFT JOIN {labels} l ON l.customer_idx = c.customer_idx AND l.article_idx = c.article_idx)
            WHERE positive
               OR (positives > 0 AND (hash(customer_idx, article_idx, {task.Options.Seed}::UBIGINT, {task.Week.Week}) % 1000000) / 1000000.0 < {Num(ratio)}::DOUBLE * positives / negatives)
            """;
    }

    /// <summary>
    /// The optional image feature: cosine between the item's embedding and the user's profile (the same
    /// recency-weighted mean over recent items as the text profile). The file must hold <c>article_id</c>
    /// and a list of floats <c>embedding</c>.
    /// </summary>
    private static (string Column, string Join) ImageFeature(AnalyticsSession session, string? path, RunLayout layout, int cutoff, TextOptions profile)
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
