using HmRec.Shared.Data;
using HmRec.Shared.DuckDb;

namespace HmRec.Shared.Synthetic;

/// <summary>
/// The facts of an H&amp;M-schema dataset that the generator is calibrated to, measured with DuckDB
/// straight from the CSV files (works on real files too).
/// </summary>
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
    double ArticlesPerProductCode)
{
    /// <summary>The real data's values, for comparison.</summary>
    public static readonly DatasetStatistics Real = new(31_788_324, 1_371_980, 105_542, 47_224, new(2018, 9, 20), new(2020, 9, 22),
        0.0071, 0.050, 2, 9, 0.093, double.NaN, 2.235);

    public static DatasetStatistics Measure(string directory)
    {
        using var db = DuckDbDatabase.Open();
        using var c = db.Connect();
        string Csv(string file) => $"read_csv('{Path.Combine(directory, file).Replace("'", "''", StringComparison.Ordinal)}', header = true, all_varchar = true)";
        c.Execute($"""
            CREATE TEMP TABLE t AS SELECT t_dat::DATE AS d, customer_id AS c, article_id::BIGINT AS a, price, sales_channel_id AS ch FROM {Csv(HmSchema.TransactionsFile)};
            CREATE TEMP TABLE cu AS SELECT customer_id AS c FROM {Csv(HmSchema.CustomersFile)};
            CREATE TEMP TABLE ar AS SELECT article_id::BIGINT AS a, product_code FROM {Csv(HmSchema.ArticlesFile)};
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
            ArticlesPerProductCode: c.Scalar<double>("SELECT count(*)::DOUBLE / count(DISTINCT product_code) FROM ar"));
    }
}
