using DuckDB.NET.Data;

namespace HmRec.Activities.Ingest;

/// <summary>
/// Stage 1: reads articles.csv, customers.csv and transactions_train.csv with DuckDB, validates them,
/// and writes typed, integer-keyed parquet (customers.parquet, articles.parquet, transactions.parquet,
/// users_sampled.parquet) plus manifest.json. Output appears all at once: it is written to a sibling
/// scratch folder and renamed into place only when complete, so a failure leaves nothing partial.
/// </summary>
public static class Ingestor
{
    /// <summary>
    /// Activity bins, as the seeds define them, by purchases in the kept weeks before the first label week: neither
    /// the bins nor the sample depend on what a user buys in a training or validation week.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, int Min, int Max)> ActivityBins =
    [
        ("cold_start", 0, 1), ("low", 2, 5), ("medium", 6, 15), ("high", 16, 40), ("very_high", 41, 100), ("extreme", 101, int.MaxValue),
    ];

    public static IngestSummary Run(IngestInputs inputs, string outputDirectory, IngestOptions options, IProgress<string>? progress = null)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var files = new Dictionary<CsvInputFile, string>
        {
            [CsvInputFile.Articles] = inputs.Articles,
            [CsvInputFile.Customers] = inputs.Customers,
            [CsvInputFile.Transactions] = inputs.Transactions,
        };
        var headers = files.ToDictionary(f => f.Key, f => CsvHeader.Read(f.Value, f.Key));

        var output = Path.GetFullPath(outputDirectory).TrimEnd(Path.DirectorySeparatorChar);
        var scratch = $"{output}.tmp-{Environment.ProcessId}";
        DeleteAbandonedScratch(output);
        DeleteDirectory(scratch);
        Directory.CreateDirectory(scratch);
        try
        {
            IngestSummary summary;
            using (var connection = DuckDb.Open(new Dictionary<string, string>
            {
                ["memory_limit"] = options.MemoryLimit,
                ["temp_directory"] = Path.Combine(scratch, "spill"),
                ["preserve_insertion_order"] = "false",
            }))
            {
                // A file with mixed (or CR-only) line endings is read through an LF copy; errors still name the user's file.
                var sources = files.ToDictionary(f => f.Key, f => CsvLineEndings.Readable(f.Value, scratch));
                var run = new IngestRun(connection, files, sources, headers, options, scratch, progress);
                summary = run.Execute() with { OutputDirectory = output, Seconds = clock.Elapsed.TotalSeconds };
            }
            DeleteDirectory(Path.Combine(scratch, "spill"));
            File.Delete(Path.Combine(scratch, "staging.parquet"));
            JsonFile.Write(Path.Combine(scratch, "manifest.json"), summary);
            Publish(scratch, output);
            return summary;
        }
        finally
        {
            DeleteDirectory(scratch);
        }
    }

    /// <summary>The date of a day number (days since 1970-01-01, the <c>day</c> column).</summary>
    public static DateOnly EpochDay(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day);

    /// <summary>The summary of a complete ingest in <paramref name="outputDirectory"/>, or null when there is none.</summary>
    public static IngestSummary? ReadManifest(string outputDirectory)
    {
        var manifest = Path.Combine(outputDirectory, "manifest.json");
        return File.Exists(manifest) ? JsonSerializer.Deserialize<IngestSummary>(File.ReadAllText(manifest)) : null;
    }

    /// <summary>Moves the finished scratch folder into place, replacing an older output only after the new one is complete.</summary>
    private static void Publish(string scratch, string output)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var old = $"{output}.old-{Environment.ProcessId}";
        if (Directory.Exists(output))
        {
            Directory.Move(output, old);
        }
        Directory.Move(scratch, output);
        DeleteDirectory(old);
    }

    /// <summary>Removes scratch folders left by ingests whose process died (a crash or a kill).</summary>
    private static void DeleteAbandonedScratch(string output)
    {
        var parent = Path.GetDirectoryName(output);
        if (parent is null || !Directory.Exists(parent))
        {
            return;
        }
        foreach (var dir in Directory.GetDirectories(parent, Path.GetFileName(output) + ".tmp-*"))
        {
            if (int.TryParse(dir[(dir.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture, out var pid) && pid != Environment.ProcessId && !Abandoned.IsAlive(pid))
            {
                DeleteDirectory(dir);
            }
        }
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>
    /// The weeks (counted back from the data's last week, as <c>week</c>) kept in year_ago.parquet: one year (52 weeks)
    /// before every label week, from the week after the data (-1) to the oldest training week, one week either side.
    /// </summary>
    public const int YearAgoFirstWeek = 52 - 1 - 1;

    /// <summary>The last week kept in year_ago.parquet for <paramref name="trainingWeeks"/> training weeks.</summary>
    public static int YearAgoLastWeek(int trainingWeeks) => 52 + trainingWeeks + 1;


    /// <summary>One ingest on one DuckDB connection.</summary>
    private sealed class IngestRun(
        DuckDBConnection db,
        Dictionary<CsvInputFile, string> files,
        Dictionary<CsvInputFile, string> sources,
        Dictionary<CsvInputFile, IReadOnlyList<string>> headers,
        IngestOptions options,
        string scratch,
        IProgress<string>? progress)
    {
        private string Staging => Path.Combine(scratch, "staging.parquet");

        public IngestSummary Execute()
        {
            progress?.Report("customers");
            db.Execute($"CREATE TABLE customers_raw AS SELECT {Columns(CsvInputFile.Customers)} FROM {ReadCsv(CsvInputFile.Customers)}");
            CheckRejects(CsvInputFile.Customers);
            CheckNotEmpty(CsvInputFile.Customers, "customers_raw");
            CheckRequired(CsvInputFile.Customers, "customers_raw", "customer_id", "customer_id IS NULL OR trim(customer_id) = ''", v => v.Trim().Length == 0, "is empty; every customer needs an id");
            CheckRequired(CsvInputFile.Customers, "customers_raw", "age", "age IS NOT NULL AND (age < 0 OR age > 130 OR NOT isfinite(age))",
                v => double.TryParse(v, CultureInfo.InvariantCulture, out var a) && (a < 0 || a > 130 || !double.IsFinite(a)), "is out of range; expected an age between 0 and 130, or blank");
            CheckUnique(CsvInputFile.Customers, "customers_raw", "customer_id");
            db.Execute("""
                CREATE TABLE customer_dict AS
                SELECT (row_number() OVER (ORDER BY customer_id) - 1)::INTEGER AS customer_idx, customer_id,
                       FN::FLOAT AS fn, Active::FLOAT AS active, club_member_status, fashion_news_frequency,
                       age::FLOAT AS age, postal_code, true AS in_customers_file
                FROM customers_raw
                """);

            progress?.Report("articles");
            db.Execute($"CREATE TABLE articles_raw AS SELECT {Columns(CsvInputFile.Articles)} FROM {ReadCsv(CsvInputFile.Articles)}");
            CheckRejects(CsvInputFile.Articles);
            CheckNotEmpty(CsvInputFile.Articles, "articles_raw");
            CheckRequired(CsvInputFile.Articles, "articles_raw", "article_id", "article_id IS NULL OR article_id <= 0 OR article_id >= 10000000000",
                v => !long.TryParse(v, CultureInfo.InvariantCulture, out var id) || id <= 0 || id >= 10_000_000_000, "must be a positive article id of at most 10 digits");
            CheckUnique(CsvInputFile.Articles, "articles_raw", "article_id");

            progress?.Report("transactions");
            // One streaming pass over the big file: customer ids become integers through the dictionary on the way.
            WriteStaging();
            CheckRejects(CsvInputFile.Transactions);
            var stagingTable = $"read_parquet({Quote(Staging)})";
            CheckNotEmpty(CsvInputFile.Transactions, stagingTable);
            db.Execute("CREATE TABLE unknown_customers (customer_idx INTEGER, customer_id VARCHAR)");
            if (db.Scalar<long>($"SELECT count(*) FROM {stagingTable} WHERE customer_idx IS NULL") > 0)
            {
                // Rare: customers missing from customers.csv. They join the dictionary and the file is read again.
                progress?.Report("unknown customers");
                db.Execute($"""
                    INSERT INTO unknown_customers
                    SELECT ((SELECT count(*) FROM customer_dict) + row_number() OVER (ORDER BY customer_id) - 1)::INTEGER, customer_id
                    FROM (SELECT DISTINCT t.customer_id FROM {ReadCsv(CsvInputFile.Transactions)} t ANTI JOIN customer_dict c ON c.customer_id = t.customer_id
                          WHERE t.customer_id IS NOT NULL);
                    INSERT INTO customer_dict (customer_idx, customer_id, in_customers_file) SELECT customer_idx, customer_id, false FROM unknown_customers;
                    """);
                WriteStaging();
            }
            CheckRequired(CsvInputFile.Transactions, stagingTable, "t_dat", "day IS NULL", v => v.Trim().Length == 0, "is empty; expected a date as YYYY-MM-DD");
            CheckRequired(CsvInputFile.Transactions, stagingTable, "customer_id", "customer_idx IS NULL", v => v.Length == 0, "is empty; every transaction needs a customer id");
            CheckRequired(CsvInputFile.Transactions, stagingTable, "article_id", "article_id IS NULL OR article_id <= 0 OR article_id >= 10000000000",
                v => !long.TryParse(v, CultureInfo.InvariantCulture, out var id) || id <= 0 || id >= 10_000_000_000, "must be a positive article id of at most 10 digits");
            CheckRequired(CsvInputFile.Transactions, stagingTable, "price", "price IS NULL OR NOT isfinite(price) OR price <= 0",
                v => !double.TryParse(v, CultureInfo.InvariantCulture, out var p) || !float.IsFinite((float)p) || p <= 0, "must be a positive number");
            CheckRequired(CsvInputFile.Transactions, stagingTable, "sales_channel_id", "channel IS NULL OR channel NOT IN (1, 2)", v => v.Trim() is not ("1" or "2"), "must be 1 (store) or 2 (online)");

            progress?.Report("dictionaries");
            db.Execute($"""
                CREATE TABLE article_dict AS
                SELECT (row_number() OVER (ORDER BY article_id) - 1)::INTEGER AS article_idx, article_id, has_metadata
                FROM (
                  SELECT article_id, true AS has_metadata FROM articles_raw
                  UNION ALL
                  SELECT DISTINCT s.article_id, false FROM {stagingTable} s ANTI JOIN articles_raw r ON r.article_id = s.article_id
                );
                """);

            progress?.Report("windowing");
            var lastDay = db.Scalar<int>($"SELECT max(day) FROM {stagingTable}");
            var firstDay = db.Scalar<int>($"SELECT min(day) FROM {stagingTable}");
            var weeksKept = options.HistoryWeeks is { } h ? 1 + options.TrainingWeeks + h : int.MaxValue / 8;
            db.Execute($"""
                CREATE TABLE tx AS
                SELECT s.day, (({lastDay} - s.day) // 7)::SMALLINT AS week, s.customer_idx, a.article_idx, s.price, s.channel
                FROM {stagingTable} s
                JOIN article_dict a ON a.article_id = s.article_id
                WHERE s.day > {lastDay} - 7 * {weeksKept}
                """);

            // Whole history, compactly: what is older than the window, aggregated per (customer, article) and per customer,
            // and the rows of the weeks a year before every label week (the same-week-last-year signals).
            progress?.Report("whole history");
            var oldest = lastDay - 7 * weeksKept;
            Write("history_pairs.parquet", $"""
                SELECT customer_idx, article_idx, min(day) AS first_day, max(day) AS last_day, count(*)::INTEGER AS days, sum(n)::INTEGER AS n,
                       arg_max(price, day) AS last_price, bit_or(channels)::TINYINT AS channels
                FROM (SELECT s.customer_idx, a.article_idx, s.day, count(*) AS n, max(s.price) AS price, bit_or(s.channel) AS channels
                      FROM {stagingTable} s JOIN article_dict a USING (article_id) WHERE s.day <= {oldest} GROUP BY ALL)
                GROUP BY ALL ORDER BY customer_idx, article_idx
                """);
            Write("history_customers.parquet", $"""
                SELECT customer_idx, min(day) AS first_day, max(day) AS last_day, count(DISTINCT day)::INTEGER AS days, count(*)::INTEGER AS n
                FROM {stagingTable} WHERE day <= {oldest} GROUP BY ALL ORDER BY customer_idx
                """);
            Write("year_ago.parquet", $"""
                SELECT * FROM (
                  SELECT s.day, (({lastDay} - s.day) // 7)::SMALLINT AS week, s.customer_idx, a.article_idx
                  FROM {stagingTable} s JOIN article_dict a USING (article_id))
                WHERE week BETWEEN {YearAgoFirstWeek} AND {YearAgoLastWeek(options.TrainingWeeks)} ORDER BY day, customer_idx, article_idx
                """);

            progress?.Report("sampling");
            var binCase = string.Join(" ", Ingestor.ActivityBins.Select(b => $"WHEN n <= {Math.Min(b.Max, int.MaxValue / 2)} THEN '{b.Name}'"));
            db.Execute($"""
                CREATE TABLE users AS
                SELECT d.customer_idx, coalesce(p.n, 0)::INTEGER AS purchases,
                       CASE {binCase.Replace("WHEN n", "WHEN coalesce(p.n, 0)", StringComparison.Ordinal)} END AS activity_bin,
                       hash(d.customer_id || ':' || '{options.Seed}')::DOUBLE / 18446744073709551616.0 AS u
                FROM customer_dict d
                LEFT JOIN (SELECT customer_idx, count(*) AS n FROM tx WHERE week > {options.TrainingWeeks} GROUP BY customer_idx) p USING (customer_idx)
                """);
            var fraction = options.SampleFraction.ToString("R", CultureInfo.InvariantCulture);
            var warmSampled = db.Scalar<long>($"SELECT count(*) FROM users WHERE activity_bin <> 'cold_start' AND u < {fraction}");
            var coldLimit = options.ColdStartShare is { } share
                ? (long)Math.Floor(share / (1 - share) * warmSampled)
                : long.MaxValue;
            db.Execute($"""
                CREATE TABLE users_sampled AS
                SELECT customer_idx, activity_bin, purchases FROM users WHERE activity_bin <> 'cold_start' AND u < {fraction}
                UNION ALL
                SELECT customer_idx, activity_bin, purchases FROM (
                  SELECT *, row_number() OVER (ORDER BY u, customer_idx) AS r FROM users
                  WHERE activity_bin = 'cold_start' {(options.ColdStartShare is null ? $"AND u < {fraction}" : "")}
                ) WHERE r <= {coldLimit}
                """);

            progress?.Report("writing");
            Write("customers.parquet", "SELECT * FROM customer_dict ORDER BY customer_idx");
            Write("articles.parquet", $"""
                SELECT d.article_idx, d.article_id, r.* EXCLUDE (article_id), d.has_metadata,
                       coalesce(p.n, 0)::INTEGER AS purchases, coalesce(p.n, 0) >= {options.MinItemPurchases} AS eligible
                FROM article_dict d
                LEFT JOIN articles_raw r ON r.article_id = d.article_id
                LEFT JOIN (SELECT article_idx, count(*) AS n FROM tx WHERE week > {options.TrainingWeeks} GROUP BY article_idx) p ON p.article_idx = d.article_idx
                ORDER BY d.article_idx
                """);
            Write("transactions.parquet", "SELECT * FROM tx ORDER BY day, customer_idx, article_idx");
            Write("users_sampled.parquet", "SELECT * FROM users_sampled ORDER BY customer_idx");

            progress?.Report("summary");
            return Summarise(stagingTable, firstDay, lastDay);
        }

        private IngestSummary Summarise(string stagingTable, int firstDay, int lastDay)
        {
            var splits = new List<IngestSplit>();
            var maxWeek = db.Scalar<int>("SELECT max(week)::INTEGER FROM tx");
            void Split(string name, int from, int to)
            {
                if (from > to)
                {
                    return;
                }
                using var r = db.Query($"SELECT count(*) AS n, count(DISTINCT customer_idx) AS u, count(DISTINCT article_idx) AS a, min(day) AS lo, max(day) AS hi FROM tx WHERE week BETWEEN {from} AND {to}");
                var c = r.ReadAll();
                if (c.Get<long>("n").Values[0] == 0)
                {
                    return;
                }
                splits.Add(new IngestSplit(name, from, to, EpochDay(c.Get<int>("lo").Values[0]), EpochDay(c.Get<int>("hi").Values[0]),
                    c.Get<long>("n").Values[0], c.Get<long>("u").Values[0], c.Get<long>("a").Values[0]));
            }
            Split("history", options.TrainingWeeks + 1, maxWeek);
            Split("training", 1, Math.Min(options.TrainingWeeks, maxWeek));
            Split("validation", 0, 0);

            var bins = new List<IngestBin>();
            foreach (var (name, min, max) in Ingestor.ActivityBins)
            {
                bins.Add(new IngestBin(name, max == int.MaxValue ? $"{min}+" : $"{min}-{max}",
                    db.Scalar<long>("SELECT count(*) FROM users WHERE activity_bin = $1", name),
                    db.Scalar<long>("SELECT count(*) FROM users_sampled WHERE activity_bin = $1", name)));
            }

            return new IngestSummary
            {
                OutputDirectory = "",
                TransactionRows = db.Scalar<long>($"SELECT count(*) FROM {stagingTable}"),
                RowsKept = db.Scalar<long>("SELECT count(*) FROM tx"),
                HistoryPairs = db.Scalar<long>($"SELECT count(*) FROM read_parquet({Quote(Path.Combine(scratch, "history_pairs.parquet"))})"),
                FirstDay = EpochDay(firstDay),
                LastDay = EpochDay(lastDay),
                Splits = splits,
                CustomersInFile = db.Scalar<long>("SELECT count(*) FROM customers_raw"),
                UnknownCustomers = db.Scalar<long>("SELECT count(*) FROM unknown_customers"),
                UnknownCustomerRows = db.Scalar<long>($"SELECT count(*) FROM {stagingTable} WHERE customer_idx >= (SELECT count(*) FROM customers_raw)"),
                ArticlesInFile = db.Scalar<long>("SELECT count(*) FROM articles_raw"),
                ArticlesWithoutMetadata = db.Scalar<long>("SELECT count(*) FROM article_dict WHERE NOT has_metadata"),
                RowsWithoutArticleMetadata = db.Scalar<long>($"SELECT count(*) FROM {stagingTable} s ANTI JOIN articles_raw r ON r.article_id = s.article_id"),
                EligibleArticles = db.Scalar<long>($"SELECT count(*) FROM read_parquet({Quote(Path.Combine(scratch, "articles.parquet"))}) WHERE eligible"),
                Bins = bins,
                SampledUsers = db.Scalar<long>("SELECT count(*) FROM users_sampled"),
                Seconds = 0,
            };
        }

        private void WriteStaging() => db.Execute($"""
            COPY (
              SELECT (t.t_dat - DATE '1970-01-01')::INTEGER AS day, c.customer_idx, t.article_id, t.price::FLOAT AS price, t.sales_channel_id AS channel
              FROM {ReadCsv(CsvInputFile.Transactions)} t LEFT JOIN customer_dict c ON c.customer_id = t.customer_id
            ) TO {Quote(Staging)} (FORMAT parquet, COMPRESSION snappy)
            """);

        private void Write(string file, string query) =>
            db.Execute($"COPY ({query}) TO {Quote(Path.Combine(scratch, file))} (FORMAT parquet, COMPRESSION zstd)");

        /// <summary>A read_csv call with every column typed explicitly, in the file's own order, errors stored rather than thrown.</summary>
        private string ReadCsv(CsvInputFile spec)
        {
            var columns = string.Join(", ", headers[spec].Select(c => $"'{c}': '{(c == CsvHeader.IndexColumn ? "VARCHAR" : spec.TypeOf(c))}'"));
            var table = RejectTable(spec);
            return $$"""
                read_csv({{Quote(sources[spec])}}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                         columns = {{{columns}}}, dateformat = '%Y-%m-%d', store_rejects = true,
                         rejects_scan = '{{table}}_scan', rejects_table = '{{table}}', rejects_limit = 100)
                """;
        }

        /// <summary>The expected columns in canonical order, whatever order the file has them in; an index column is dropped.</summary>
        private static string Columns(CsvInputFile spec) => string.Join(", ", spec.Columns.Select(c => $"\"{c.Column}\""));

        private static string RejectTable(CsvInputFile spec) => "rejects_" + Path.GetFileNameWithoutExtension(spec.Name);

        /// <summary>Turns the first row DuckDB's reader refused into an error naming the line and column.</summary>
        private void CheckRejects(CsvInputFile spec)
        {
            var table = RejectTable(spec);
            var count = db.Scalar<long>($"SELECT count(*) FROM {table}");
            if (count == 0)
            {
                return;
            }
            using var r = db.Query($"SELECT line::BIGINT AS line, column_name, error_type::VARCHAR AS kind, error_message FROM {table} ORDER BY line LIMIT 1");
            var c = r.ReadAll();
            var line = c.Get<long>("line").Values[0];
            var column = c.GetStrings("column_name").Values[0];
            var kind = c.GetStrings("kind").Values[0];
            var message = c.GetStrings("error_message").Values[0] ?? kind ?? "unreadable row";
            var problem = kind switch
            {
                "CAST" => $"cannot read the value as {spec.TypeOf(column ?? "")} ({Explain(spec, column)}): {message}",
                "INVALID ENCODING" or "INVALID UNICODE" => "the line holds bytes that are not valid UTF-8; the file must be UTF-8 encoded.",
                "MISSING COLUMNS" or "TOO MANY COLUMNS" => $"wrong number of fields: {message}; expected {spec.Columns.Count + (headers[spec].Contains(CsvHeader.IndexColumn) ? 1 : 0)} fields as in the header.",
                "UNQUOTED VALUE" or "LINE SIZE OVER MAXIMUM" => $"malformed CSV: {message}",
                _ => message,
            };
            var more = count > 1 ? $" ({count} rows were refused{(count >= 100 ? " or more" : "")}; this is the first.)" : "";
            // Stray non-UTF-8 bytes can surface as a quoting or width error; name the real cause.
            if (CsvLineLocator.FirstInvalidUtf8Line(sources[spec], line) is { } badLine)
            {
                throw new InputDataException(files[spec], badLine, null, "the line holds bytes that are not valid UTF-8; the file must be UTF-8 encoded." + more);
            }
            throw new InputDataException(files[spec], line, kind is "CAST" ? column : null, problem + more);
        }

        private static string Explain(CsvInputFile spec, string? column) => spec.TypeOf(column ?? "") switch
        {
            "DATE" => "expected a date as YYYY-MM-DD",
            "DOUBLE" => "expected a number such as 0.0508",
            "BIGINT" or "INTEGER" or "TINYINT" => "expected a whole number",
            _ => "expected text",
        };

        private void CheckNotEmpty(CsvInputFile spec, string table)
        {
            if (db.Scalar<long>($"SELECT count(*) FROM {table}") == 0)
            {
                throw new InputDataException(files[spec], 2, null, "the file has a header but no data rows.");
            }
        }

        /// <summary>Fails when any row breaks <paramref name="badCondition"/>, locating the first such line in the file.</summary>
        private void CheckRequired(CsvInputFile spec, string table, string column, string badCondition, Func<string, bool> isBad, string problem)
        {
            var bad = db.Scalar<long>($"SELECT count(*) FROM {table} WHERE {badCondition}");
            if (bad == 0)
            {
                return;
            }
            var index = headers[spec].ToList().IndexOf(column);
            var found = CsvLineLocator.FindFirst(sources[spec], index, isBad);
            var more = bad > 1 ? $" ({bad} rows have this problem; this is the first.)" : "";
            throw new InputDataException(files[spec], found?.Line, column,
                $"the value '{found?.Value}' {problem}.{more}");
        }

        private void CheckUnique(CsvInputFile spec, string table, string column)
        {
            var duplicate = db.Scalar<string>($"SELECT {column}::VARCHAR FROM {table} GROUP BY {column} HAVING count(*) > 1 ORDER BY {column} LIMIT 1");
            if (duplicate is null)
            {
                return;
            }
            var index = headers[spec].ToList().IndexOf(column);
            var lines = new List<long>();
            var target = long.TryParse(duplicate, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;
            using var reader = new StreamReader(sources[spec]);
            reader.ReadLine();
            long line = 1;
            while (lines.Count < 2 && reader.ReadLine() is { } text)
            {
                line++;
                var fields = CsvHeader.Split(text);
                var value = index < fields.Count ? fields[index] : "";
                if (target is { } t ? long.TryParse(value, CultureInfo.InvariantCulture, out var v) && v == t : value == duplicate)
                {
                    lines.Add(line);
                }
            }
            throw new InputDataException(files[spec], lines.Count > 1 ? lines[1] : null, column,
                $"'{duplicate}' appears twice (first on line {(lines.Count > 0 ? lines[0] : 0)}); every {column} must be unique.");
        }
    }
}
