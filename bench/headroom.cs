#:project ../Shared/HmRec.Shared.csproj
// Where a run's validation purchases lie, and how many of each kind its candidates hold: the headroom left to recall.
// Each purchase (distinct customer and article in the validation week, among the run's validation users) falls in the
// first group that fits: an article the user bought before; another article of a product code the user bought; a new
// article in one of the user's 4 most-bought sections, by its rank among that section's sales of the 14 days before the
// week (1-30, 31-60, 61-120, lower or unsold); an article in another section; a user with no purchase before the week.
// Then the share the most generous candidate sets of these kinds would hold, whatever their size.
// Usage: dotnet run --file bench/headroom.cs -- <dataset name> <run folder> [<results csv>]
using System.Globalization;
using HmRec.Shared.Analytics;

if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: headroom.cs <dataset name> <run folder> [<results csv>]");
    return 2;
}
var (dataset, run) = (args[0], Path.GetFullPath(args[1]));
string P(params string[] parts) => "'" + Path.Combine([run, .. parts]).Replace("'", "''", StringComparison.Ordinal) + "'";
foreach (var required in new[] { "ingest/transactions.parquet", "ingest/articles.parquet", "recall/week=0/global/labels.parquet" })
{
    if (!File.Exists(Path.Combine(run, required)))
    {
        Console.Error.WriteLine($"headroom: {Path.Combine(run, required)} is missing: give a finished run's folder (runs/<id>).");
        return 1;
    }
}

using var db = DuckDb.Open(new Dictionary<string, string> { ["threads"] = "2", ["memory_limit"] = "4GB" });
db.Execute($"""
    CREATE TABLE t AS SELECT customer_idx, article_idx, day, week FROM read_parquet({P("ingest", "transactions.parquet")});
    CREATE TABLE a AS SELECT article_idx, coalesce(product_code, article_id // 1000) AS code, section_no FROM read_parquet({P("ingest", "articles.parquet")});
    CREATE TABLE labels AS SELECT customer_idx, article_idx FROM read_parquet({P("recall", "week=0", "global", "labels.parquet")});
    CREATE TABLE cand AS SELECT customer_idx, article_idx FROM read_parquet({P("candidates", "week=0", "shard=*.parquet")});
    CREATE TABLE hist AS SELECT DISTINCT customer_idx, article_idx FROM t WHERE week >= 1 AND customer_idx IN (SELECT customer_idx FROM labels);
    CREATE TABLE codes AS SELECT DISTINCT h.customer_idx, a.code FROM hist h JOIN a USING (article_idx);
    CREATE TABLE sections AS
      SELECT customer_idx, section_no FROM (SELECT h.customer_idx, a.section_no, count(*) AS n FROM t h JOIN a USING (article_idx)
        WHERE h.week >= 1 AND h.customer_idx IN (SELECT customer_idx FROM labels) GROUP BY h.customer_idx, a.section_no)
      QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY n DESC, section_no) <= 4;
    CREATE TABLE section_rank AS
      SELECT article_idx, row_number() OVER (PARTITION BY section_no ORDER BY n DESC, article_idx) AS r
      FROM (SELECT a.section_no, t.article_idx, count(*) AS n FROM t JOIN a USING (article_idx) WHERE t.week BETWEEN 1 AND 2 GROUP BY ALL);
    CREATE TABLE best_sellers AS
      SELECT article_idx FROM t WHERE week = 1 GROUP BY article_idx ORDER BY count(*) DESC, article_idx LIMIT 100;
    CREATE TABLE x AS
      SELECT l.customer_idx, l.article_idx,
        CASE WHEN h.article_idx IS NOT NULL THEN 1
             WHEN cd.code IS NOT NULL THEN 2
             WHEN s.section_no IS NOT NULL AND sr.r <= 30 THEN 3
             WHEN s.section_no IS NOT NULL AND sr.r <= 60 THEN 4
             WHEN s.section_no IS NOT NULL AND sr.r <= 120 THEN 5
             WHEN s.section_no IS NOT NULL THEN 6
             WHEN l.customer_idx IN (SELECT customer_idx FROM hist) THEN 7
             ELSE 8 END AS kind,
        c.article_idx IS NOT NULL AS held,
        b.article_idx IS NOT NULL AS best_seller
      FROM labels l JOIN a ON a.article_idx = l.article_idx
      LEFT JOIN hist h ON h.customer_idx = l.customer_idx AND h.article_idx = l.article_idx
      LEFT JOIN codes cd ON cd.customer_idx = l.customer_idx AND cd.code = a.code
      LEFT JOIN sections s ON s.customer_idx = l.customer_idx AND s.section_no = a.section_no
      LEFT JOIN section_rank sr ON sr.article_idx = l.article_idx
      LEFT JOIN cand c ON c.customer_idx = l.customer_idx AND c.article_idx = l.article_idx
      LEFT JOIN best_sellers b ON b.article_idx = l.article_idx;
    """);

string[] names =
[
    "", "an article the user bought before", "another article of a code the user bought",
    "new, in a top-4 section of the user, section rank 1-30", "... section rank 31-60", "... section rank 61-120",
    "... section rank below 120 or unsold", "new, in another section", "a user with no purchase before",
];
var total = Convert.ToDouble(db.Scalar<object>("SELECT count(*) FROM x"), CultureInfo.InvariantCulture);
var perUser = Convert.ToDouble(db.Scalar<object>("SELECT count(*) / count(DISTINCT customer_idx) FROM cand"), CultureInfo.InvariantCulture);
var csv = args.Length == 3 ? args[2] : null;
if (csv is not null && !File.Exists(csv))
{
    File.WriteAllText(csv, "date,dataset,group,purchases,share,held_by_candidates\n");
}
var date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
Console.WriteLine($"{dataset}: {total:N0} validation purchases; the candidates ({perUser:F1} a user) hold {Share("held")}.");
Console.WriteLine("| purchase | share of the week | held by the candidates |");
Console.WriteLine("|---|---|---|");
using (var groups = db.Query("SELECT kind, count(*), avg(held::INT) FROM x GROUP BY kind ORDER BY kind"))
{
    var rows = groups.Reader;
    while (rows.Read())
    {
        var (kind, n, held) = (Convert.ToInt32(rows.GetValue(0), CultureInfo.InvariantCulture), Convert.ToDouble(rows.GetValue(1), CultureInfo.InvariantCulture), rows.GetDouble(2));
        Console.WriteLine($"| {names[kind]} | {n / total:P1} | {held:P1} |");
        if (csv is not null)
        {
            File.AppendAllText(csv, FormattableString.Invariant($"{date},{dataset},{kind},{n},{n / total:F4},{held:F4}\n"));
        }
    }
}
Console.WriteLine("The most that candidate sets of these kinds would hold, whatever their size:");
Console.WriteLine($"  every past article and every other article of its codes:                {Share("kind <= 2")}");
Console.WriteLine($"  ... and the 30 best sellers of each of the user's 4 top sections:        {Share("kind <= 3")}");
Console.WriteLine($"  ... the 60 best of each:                                                 {Share("kind <= 4")}");
Console.WriteLine($"  ... the 60 best of each, and last week's 100 best sellers for everyone:   {Share("kind <= 4 OR best_seller")}");
Console.WriteLine($"  ... the 120 best of each, and last week's 100 best sellers for everyone:  {Share("kind <= 5 OR best_seller")}");
return 0;

string Share(string condition) =>
    Convert.ToDouble(db.Scalar<object>($"SELECT avg(({condition})::INT) FROM x"), CultureInfo.InvariantCulture).ToString("P1", CultureInfo.InvariantCulture);
