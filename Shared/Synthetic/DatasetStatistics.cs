namespace HmRec.Shared.Synthetic;

/// <summary>
/// The facts of an H&amp;M-schema dataset that the generator is calibrated to, measured with DuckDB
/// straight from the CSV files (works on real files too).
/// </summary>
/// <param name="Transactions">Rows of transactions_train.csv.</param>
/// <param name="Customers">Rows of customers.csv.</param>
/// <param name="Articles">Rows of articles.csv.</param>
/// <param name="ProductCodes">Distinct product codes in articles.csv.</param>
/// <param name="FirstDay">First day with a transaction.</param>
/// <param name="LastDay">Last day with a transaction.</param>
/// <param name="NeverBuyShare">Share of customers without a transaction.</param>
/// <param name="LastWeekBuyerShare">Share of customers buying in the last seven days.</param>
/// <param name="LastWeekMedianDistinctArticles">Median distinct articles bought in the last seven days, over those days' buyers.</param>
/// <param name="MedianRowsPerBuyer">Median rows per customer who buys.</param>
/// <param name="DuplicateRowShare">Share of rows identical to another row (several units of one article).</param>
/// <param name="RepeatPurchaseShare">Share of customer-article pairs bought on two or more days.</param>
/// <param name="ArticlesPerProductCode">Colour variants per product code.</param>
/// <param name="TopTwelveShare">Share of rows held by the 12 best-selling articles: how concentrated sales are.</param>
/// <param name="MedianRepeatGapDays">Median days between a customer's consecutive purchase days of the same article; NaN without repeats.</param>
/// <param name="TopDecileBuyerShare">Share of rows bought by the 10 % most active buyers: how unequal customers' activity is.</param>
/// <param name="MedianSellingLifeDays">Median days from an article's first to its last sale, over the articles sold: how fast the catalogue turns over.</param>
/// <param name="MedianTopSectionShare">Median share of a buyer's rows (buyers with 10 or more) in their most-bought section: how faithful to a taste.</param>
public sealed record DatasetStatistics(
    long Transactions,
    long Customers,
    long Articles,
    long ProductCodes,
    DateOnly FirstDay,
    DateOnly LastDay,
    double NeverBuyShare,
    double LastWeekBuyerShare,
    double LastWeekMedianDistinctArticles,
    double MedianRowsPerBuyer,
    double DuplicateRowShare,
    double RepeatPurchaseShare,
    double ArticlesPerProductCode,
    double TopTwelveShare,
    double MedianRepeatGapDays,
    double TopDecileBuyerShare,
    double MedianSellingLifeDays,
    double MedianTopSectionShare)
{
    /// <summary>The real data's values, for comparison (NaN where not known).</summary>
    public static readonly DatasetStatistics Real = new(31_788_324, 1_371_980, 105_542, 47_224, new(2018, 9, 20), new(2020, 9, 22),
        0.0071, 0.050, 2, 9, 0.093, double.NaN, 2.235, 0.011, double.NaN, double.NaN, double.NaN, double.NaN);

    public static DatasetStatistics Measure(string directory)
    {
        using var c = DuckDb.Open();
        string Csv(string file) => $"read_csv('{Path.Combine(directory, file).Replace("'", "''", StringComparison.Ordinal)}', header = true, all_varchar = true)";
        c.Execute($"""
            CREATE TEMP TABLE t AS SELECT t_dat::DATE AS d, customer_id AS c, article_id::BIGINT AS a, price, sales_channel_id AS ch FROM {Csv(HmSchema.TransactionsFile)};
            CREATE TEMP TABLE cu AS SELECT customer_id AS c FROM {Csv(HmSchema.CustomersFile)};
            CREATE TEMP TABLE ar AS SELECT article_id::BIGINT AS a, product_code, section_no FROM {Csv(HmSchema.ArticlesFile)};
            """);
        var last = c.Scalar<DateOnly>("SELECT max(d) FROM t");
        return new DatasetStatistics(
            Transactions: c.Scalar<long>("SELECT count(*) FROM t"),
            Customers: c.Scalar<long>("SELECT count(*) FROM cu"),
            Articles: c.Scalar<long>("SELECT count(*) FROM ar"),
            ProductCodes: c.Scalar<long>("SELECT count(DISTINCT product_code) FROM ar"),
            FirstDay: c.Scalar<DateOnly>("SELECT min(d) FROM t"),
            LastDay: last,
            NeverBuyShare: c.Scalar<double>("SELECT 1 - (SELECT count(DISTINCT c) FROM t)::DOUBLE / count(*) FROM cu"),
            LastWeekBuyerShare: c.Scalar<double>("SELECT (SELECT count(DISTINCT c) FROM t WHERE d > $1)::DOUBLE / count(*) FROM cu", last.AddDays(-7)),
            LastWeekMedianDistinctArticles: c.Scalar<double>("SELECT median(n)::DOUBLE FROM (SELECT count(DISTINCT a) AS n FROM t WHERE d > $1 GROUP BY c)", last.AddDays(-7)),
            MedianRowsPerBuyer: c.Scalar<double>("SELECT median(n)::DOUBLE FROM (SELECT count(*) AS n FROM t GROUP BY c)"),
            DuplicateRowShare: c.Scalar<double>("SELECT 1 - (SELECT count(*) FROM (SELECT DISTINCT * FROM t))::DOUBLE / count(*) FROM t"),
            RepeatPurchaseShare: c.Scalar<double>("SELECT avg((days > 1)::INTEGER) FROM (SELECT count(DISTINCT d) AS days FROM t GROUP BY c, a)"),
            ArticlesPerProductCode: c.Scalar<double>("SELECT count(*)::DOUBLE / count(DISTINCT product_code) FROM ar"),
            TopTwelveShare: c.Scalar<double>("SELECT sum(n)::DOUBLE / (SELECT count(*) FROM t) FROM (SELECT count(*) AS n FROM t GROUP BY a ORDER BY n DESC LIMIT 12)"),
            MedianRepeatGapDays: c.Scalar<double?>("""
                SELECT median(gap)::DOUBLE FROM (SELECT d - lag(d) OVER (PARTITION BY c, a ORDER BY d) AS gap FROM (SELECT DISTINCT c, a, d FROM t)) WHERE gap IS NOT NULL
                """) ?? double.NaN,
            TopDecileBuyerShare: c.Scalar<double>("""
                SELECT (sum(n) FILTER (WHERE pos <= buyers / 10))::DOUBLE / sum(n)
                FROM (SELECT n, row_number() OVER (ORDER BY n DESC) AS pos, count(*) OVER () AS buyers FROM (SELECT count(*) AS n FROM t GROUP BY c))
                """),
            MedianSellingLifeDays: c.Scalar<double>("SELECT median(hi - lo)::DOUBLE FROM (SELECT min(d) AS lo, max(d) AS hi FROM t GROUP BY a)"),
            MedianTopSectionShare: c.Scalar<double?>("""
                SELECT median(top / total)::DOUBLE FROM (
                  SELECT c, max(n) AS top, sum(n) AS total FROM (SELECT t.c, ar.section_no, count(*) AS n FROM t JOIN ar USING (a) GROUP BY ALL)
                  GROUP BY c HAVING sum(n) >= 10)
                """) ?? double.NaN);
    }
}
