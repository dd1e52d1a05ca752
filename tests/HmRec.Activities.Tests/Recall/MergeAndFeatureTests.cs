namespace HmRec.Activities.Tests.Recall;

/// <summary>Merge semantics and feature values on hand-made data.</summary>
public sealed class MergeAndFeatureTests : IDisposable
{
    private readonly TinyData data = new();

    public void Dispose() => data.Dispose();

    private void Scenario()
    {
        data.Buy("u", 2, 10, price: 0.02, channel: 1).Buy("u", 2, 10, price: 0.04).Buy("u", 1, 1, price: 0.03)
            .Buy("o", 5, 2).Buy("o", 5, 2)
            .Buy("u", 5, -3); // u buys 5 in the validation week: its label
        data.Ingest();
        TinyData.RunWeek(data.RunDirectory, TinyData.Options, TinyData.Validation);
    }

    private Dictionary<string, object?> Row(string customer, long article) => FeatureRow(data, customer, article);

    /// <summary>The validation week's feature row of (customer, article), every column as a double (null when NULL).</summary>
    internal static Dictionary<string, object?> FeatureRow(TinyData data, string customer, long article)
    {
        using var c = DuckDb.Open();
        using var r = c.Query($"""
            SELECT COLUMNS(f.*)::DOUBLE FROM read_parquet('{data.Layout.Features(0, 0)}') f
            JOIN read_parquet('{data.Layout.Customers}') cu USING (customer_idx) JOIN read_parquet('{data.Layout.Articles}') a USING (article_idx)
            WHERE cu.customer_id = '{customer}' AND a.article_id = {article}
            """);
        var rows = r.ReadAll();
        Assert.Equal(1, rows.RowCount);
        return rows.Columns.ToDictionary(col => col.Name, col => col.IsNull(0) ? null : (object)((Column<double>)col).Values[0]);
    }

    [Fact]
    public void Merge_KeepsEveryCandidate_WithOneScoreAndIndicatorPerStrategy()
    {
        Scenario();
        using var c = DuckDb.Open();
        var union = string.Join(" UNION ", RecallStrategies.All.Select(s => $"SELECT customer_idx, article_idx FROM read_parquet('{data.Layout.Recall(0, s, 0)}')"));
        var merged = $"read_parquet('{data.Layout.Candidates(0, 0)}')";
        Assert.Equal(c.Scalar<long>($"SELECT count(*) FROM ({union})"), c.Scalar<long>($"SELECT count(*) FROM {merged}"));
        Assert.Equal(0L, c.Scalar<long>($"SELECT count(*) FROM (SELECT customer_idx, article_idx FROM {merged} GROUP BY ALL HAVING count(*) > 1)"));
        foreach (var s in RecallStrategies.All)
        {
            // The indicator is 1 exactly where the strategy proposed the pair, and then its score is there.
            Assert.Equal(0L, c.Scalar<long>($"""
                SELECT count(*) FROM {merged} m LEFT JOIN read_parquet('{data.Layout.Recall(0, s, 0)}') r USING (customer_idx, article_idx)
                WHERE m.from_{s} <> (r.score IS NOT NULL)::TINYINT OR m.{s}_score IS DISTINCT FROM r.score
                """));
        }
        var flags = string.Join(" + ", RecallStrategies.All.Select(s => $"from_{s}"));
        Assert.Equal(0L, c.Scalar<long>($"SELECT count(*) FROM {merged} WHERE n_strategies <> {flags}"));
        // (u, 2) was bought by u (repurchase) and is popular: both columns are set.
        var both = Row("u", 2);
        Assert.Equal(1.0, both["from_repurchase"]);
        Assert.Equal(1.0, both["from_popularity"]);
        Assert.True((double)both["n_strategies"]! >= 2);
    }

    [Fact]
    public void Features_HandComputedValues_AndTheLabel()
    {
        Scenario();
        var own = Row("u", 2);
        Assert.Equal(0.0, own["label"]);
        Assert.Equal(1.0, own["ui_bought"]);
        Assert.Equal(2.0, own["ui_count"]);
        Assert.Equal(10.0, own["ui_days_since"]);
        Assert.Equal(3.0, own["u_purchases"]);
        Assert.Equal(2.0, own["u_items"]);
        Assert.Equal(10.0, own["u_days_since_first"]);
        Assert.Equal(1.0, own["u_days_since_last"]);
        Assert.Equal(2.0, own["u_active_days"]);
        Assert.Equal(0.03, (double)own["u_price_mean"]!, 6);
        Assert.Equal(2.0 / 3, (double)own["u_online_share"]!, 6);
        Assert.Equal(2.0, own["i_sales"]);
        Assert.Equal(1.0, own["i_buyers"]);
        Assert.Equal(0.03, (double)own["i_price_mean"]!, 6);
        Assert.Equal(1.0, (double)own["ui_price_ratio"]!, 5);
        Assert.Equal(30.0, own["u_age"]);
        Assert.Equal(1.0, own["repurchase_rank"]); // bought twice: u's strongest repurchase
        Assert.Equal(1.0, (double)own["text_similarity"]!, 4); // every default article has the same text
        Assert.Equal(0.0, own["ui_count_1d"]);
        Assert.Equal(0.0, own["ui_count_7d"]);
        Assert.Equal(2.0, own["ui_count_30d"]);
        Assert.Equal(2.0, own["ui_recency_rank"]); // article 1, a day before the cutoff, is u's latest
        Assert.Equal(2.0, own["rule_rank"]);
        Assert.Equal(3.0, own["uc_count"]); // articles 1, 2 and 5 share product code 0
        Assert.Equal(2.0, own["uc_articles"]);
        Assert.Equal(1.0, own["uc_days_since"]);
        Assert.Equal(0.0, own["i_repurchase_rate"]); // u bought both units on one day

        var bought = Row("u", 5);
        Assert.Equal(1.0, bought["label"]);
        Assert.Equal(0.0, bought["ui_bought"]);
        Assert.Null(bought["ui_days_since"]);
        Assert.Null(bought["repurchase_score"]);
        Assert.Null(bought["repurchase_rank"]);
        Assert.Equal(2.0, bought["i_sales_7d"]);
        Assert.Equal(2.0, bought["i_days_since_last"]);
        Assert.Equal(0.0, bought["from_repurchase"]);
        Assert.Equal(1.0, bought["from_popularity"]);
        Assert.Equal(1.0, bought["popularity_rank"]); // two sales two days ago: the week's best seller
        Assert.Null(bought["ui_recency_rank"]);
        // The rule: u's two items (1, then 2), then last week's best sellers u does not own: 5 (two sales) comes third.
        Assert.Equal(3.0, bought["rule_rank"]);
        Assert.Equal(1.0, bought["from_bestsellers"]);
    }

    [Fact]
    public void Features_ImageEmbeddings_GiveTheCosineToTheUsersImageProfile()
    {
        data.Buy("u", 1, 3).Buy("o", 2, 2).Buy("o", 3, 2).Buy("u", 9, -1);
        data.Ingest();
        var images = Path.Combine(data.Root, "images.parquet");
        using (var c = DuckDb.Open())
        {
            c.Execute($"""
                COPY (SELECT * FROM (VALUES (1::BIGINT, [1.0, 0.0, 0.0]), (2, [1.0, 1.0, 0.0]), (3, [0.0, 0.0, 1.0])) t(article_id, embedding))
                TO '{images}' (FORMAT parquet)
                """);
        }
        var options = TinyData.Options with { Features = new FeatureOptions { ImageEmbeddings = images } };
        TinyData.RunWeek(data.RunDirectory, options, TinyData.Validation);

        // u's image profile is item 1's embedding: cosine 1/sqrt(2) with item 2, 0 with item 3.
        Assert.Equal(1 / Math.Sqrt(2), (double)Row("u", 2)["image_similarity"]!, 5);
        Assert.Equal(0.0, (double)Row("u", 3)["image_similarity"]!, 5);
    }

    [Fact]
    public void Features_ImageFileWithoutEmbeddingColumn_FailsNamingTheOptionAndColumn()
    {
        data.Buy("u", 1, 3).Buy("u", 9, -1);
        data.Ingest();
        var images = Path.Combine(data.Root, "images.parquet");
        using (var c = DuckDb.Open())
        {
            c.Execute($"COPY (SELECT 1::BIGINT AS article_id, [1.0] AS vector) TO '{images}' (FORMAT parquet)");
        }
        var options = TinyData.Options with { Features = new FeatureOptions { ImageEmbeddings = images } };
        var e = Assert.Throws<ArgumentException>(() => TinyData.RunWeek(data.RunDirectory, options, TinyData.Validation));
        Assert.Contains("Features.ImageEmbeddings", e.Message);
        Assert.Contains("'embedding'", e.Message);
        Assert.False(File.Exists(data.Layout.Features(0, 0)));
    }
}
