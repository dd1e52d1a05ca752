using System.Text;

namespace HmRec.Activities.Tests.Ingest;

public sealed class IngestorTests(SmallDatasetFixture data) : IClassFixture<SmallDatasetFixture>, IDisposable
{
    private static readonly string RealSample = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data/hm-real-sample"));
    private readonly TempFolder work = new("ingest");

    public void Dispose() => work.Dispose();

    [Fact]
    public void Run_GeneratedData_WritesTypedIntegerKeyedParquet()
    {
        var output = Path.Combine(work, "out");
        var summary = Ingestor.Run(IngestInputs.FromDirectory(data.Directory), output, new IngestOptions());

        using var c = DuckDb.Open();
        string P(string name) => $"read_parquet('{Path.Combine(output, name)}')";
        Assert.Equal(
            "day:INTEGER,week:SMALLINT,customer_idx:INTEGER,article_idx:INTEGER,price:FLOAT,channel:TINYINT",
            c.Scalar<string>($"SELECT string_agg(column_name || ':' || column_type, ',') FROM (DESCRIBE SELECT * FROM {P("transactions.parquet")})"));
        Assert.Equal(summary.RowsKept, c.Scalar<long>($"SELECT count(*) FROM {P("transactions.parquet")}"));
        Assert.Equal(summary.TransactionRows, c.Scalar<long>($"SELECT count(*) FROM read_csv('{Path.Combine(data.Directory, HmSchema.TransactionsFile)}')"));

        // Dense keys, every transaction resolvable through the dictionaries.
        Assert.Equal(2_000L, c.Scalar<long>($"SELECT count(*) FROM {P("customers.parquet")}"));
        Assert.Equal(1_999, c.Scalar<int>($"SELECT max(customer_idx) FROM {P("customers.parquet")}"));
        Assert.Equal(800L, c.Scalar<long>($"SELECT count(DISTINCT article_idx) FROM {P("articles.parquet")}"));
        Assert.Equal(0L, c.Scalar<long>($"SELECT count(*) FROM {P("transactions.parquet")} t ANTI JOIN {P("articles.parquet")} a USING (article_idx)"));
        Assert.Equal(0L, c.Scalar<long>($"SELECT count(*) FROM {P("transactions.parquet")} t ANTI JOIN {P("customers.parquet")} u USING (customer_idx)"));

        // Round trip: the parquet reproduces the CSV rows of the validation week exactly.
        Assert.Equal(0L, c.Scalar<long>($"""
            SELECT count(*) FROM (
              SELECT t_dat, customer_id, article_id::BIGINT AS article_id, price::FLOAT AS price, sales_channel_id::TINYINT AS ch
              FROM read_csv('{Path.Combine(data.Directory, HmSchema.TransactionsFile)}', all_varchar = true) WHERE t_dat::DATE > DATE '2020-09-15'
              EXCEPT ALL
              SELECT strftime(DATE '1970-01-01' + t.day, '%Y-%m-%d'), u.customer_id, a.article_id, t.price, t.channel
              FROM {P("transactions.parquet")} t JOIN {P("customers.parquet")} u USING (customer_idx) JOIN {P("articles.parquet")} a USING (article_idx)
              WHERE t.week = 0)
            """));

        // Weeks end on the last day: week 0 is the 7 days up to 2020-09-22.
        Assert.Equal(new DateOnly(2020, 9, 16), summary.Splits.Single(s => s.Name == "validation").FirstDay);
        Assert.Equal(new DateOnly(2020, 9, 22), summary.Splits.Single(s => s.Name == "validation").LastDay);
        Assert.Equal(new DateOnly(2020, 8, 19), summary.Splits.Single(s => s.Name == "training").FirstDay);
        Assert.Equal(24, c.Scalar<int>($"SELECT max(week)::INTEGER FROM {P("transactions.parquet")}"));
        Assert.Equal(summary.RowsKept, summary.Splits.Sum(s => s.Rows));

        // Bins cover every customer; with the default options everyone is sampled.
        Assert.Equal(2_000L, summary.Bins.Sum(b => b.Users));
        Assert.Equal(2_000L, summary.SampledUsers);
        // A user's bin counts purchases before the first label week (week > 4) only.
        Assert.Equal(0L, c.Scalar<long>($"""
            SELECT count(*) FROM {P("users_sampled.parquet")} s
            LEFT JOIN (SELECT customer_idx, count(*) AS n FROM {P("transactions.parquet")} WHERE week > 4 GROUP BY ALL) t USING (customer_idx)
            WHERE s.purchases <> coalesce(t.n, 0)
            """));
        Assert.True(File.Exists(Path.Combine(output, "manifest.json")));
        Assert.Empty(Directory.GetDirectories(work, "*.tmp-*"));
    }

    [Fact]
    public void Run_Sampling_IsStratifiedDeterministicAndHonoursColdStartShare()
    {
        var options = new IngestOptions { SampleFraction = 0.5, ColdStartShare = 0.15, Seed = 9 };
        var first = Ingestor.Run(IngestInputs.FromDirectory(data.Directory), Path.Combine(work, "a"), options);
        var second = Ingestor.Run(IngestInputs.FromDirectory(data.Directory), Path.Combine(work, "b"), options);

        foreach (var bin in first.Bins.Where(b => b.Name != "cold_start" && b.Users >= 100))
        {
            Assert.InRange(bin.Sampled / (double)bin.Users, 0.4, 0.6);
        }
        var cold = first.Bins.Single(b => b.Name == "cold_start").Sampled;
        Assert.InRange(cold / (double)first.SampledUsers, 0.14, 0.16);

        using var c = DuckDb.Open();
        Assert.Equal(0L, c.Scalar<long>($"""
            SELECT count(*) FROM (SELECT * FROM read_parquet('{Path.Combine(work, "a", "users_sampled.parquet")}')
            EXCEPT SELECT * FROM read_parquet('{Path.Combine(work, "b", "users_sampled.parquet")}'))
            """));
        Assert.Equal(first.SampledUsers, second.SampledUsers);
    }

    [Fact]
    public void Run_WindowAndItemFilterOptions_ChangeWhatIsKept()
    {
        var all = Ingestor.Run(IngestInputs.FromDirectory(data.Directory), Path.Combine(work, "all"), new IngestOptions { HistoryWeeks = null, MinItemPurchases = 0 });
        var strict = Ingestor.Run(IngestInputs.FromDirectory(data.Directory), Path.Combine(work, "strict"), new IngestOptions { TrainingWeeks = 2, HistoryWeeks = 3, MinItemPurchases = 20 });
        Assert.Equal(all.TransactionRows, all.RowsKept);
        Assert.Equal(800L, all.EligibleArticles);
        Assert.True(strict.RowsKept < all.RowsKept);
        Assert.Equal(new[] { "history", "training", "validation" }, strict.Splits.Select(s => s.Name));
        Assert.Equal(3, strict.Splits[0].FirstWeek);
        Assert.Equal(5, strict.Splits[0].LastWeek);
        Assert.True(strict.EligibleArticles < all.EligibleArticles);
    }

    [Fact]
    public void Run_RealSample_KeepsTransactionsOfArticlesMissingFromTheArticlesFile()
    {
        var summary = Ingestor.Run(
            new IngestInputs(Path.Combine(RealSample, "articles_train_sample_v2.csv"), Path.Combine(RealSample, "customers_sample_v1.csv"), Path.Combine(RealSample, "transactions_train_sample_v1.csv")),
            Path.Combine(work, "real"), new IngestOptions());
        Assert.Equal(31_662, summary.TransactionRows);
        Assert.Equal(1_364, summary.CustomersInFile);
        Assert.Equal(0, summary.UnknownCustomers);
        Assert.Equal(11_800, summary.ArticlesInFile);
        Assert.InRange(summary.RowsWithoutArticleMetadata / (double)summary.TransactionRows, 0.5, 0.8);
        Assert.True(summary.ArticlesWithoutMetadata > 10_000);
        Assert.Equal(new DateOnly(2020, 9, 22), summary.LastDay);
    }

    [Fact]
    public void Run_RealFirstDay_HandlesIndexColumnAndNineDigitIds()
    {
        var summary = Ingestor.Run(
            new IngestInputs(Path.Combine(RealSample, "articles_first_day_sample.csv"), Path.Combine(RealSample, "customers_sample_v1.csv"), Path.Combine(RealSample, "transactions_first_10k.csv")),
            Path.Combine(work, "first-day"), new IngestOptions());
        Assert.Equal(10_000, summary.TransactionRows);
        Assert.Equal(4_903, summary.ArticlesInFile);
        Assert.Equal(0, summary.ArticlesWithoutMetadata);
        Assert.True(summary.UnknownCustomers > 0);

        using var c = DuckDb.Open();
        Assert.Equal(108775015L, c.Scalar<long>($"SELECT min(article_id) FROM read_parquet('{Path.Combine(work, "first-day", "articles.parquet")}')"));
        Assert.Equal("Strap top", c.Scalar<string>($"SELECT prod_name FROM read_parquet('{Path.Combine(work, "first-day", "articles.parquet")}') WHERE article_id = 108775015"));
    }

    [Fact]
    public void Run_MissingFile_NamesTheFile()
    {
        var dir = Copy();
        File.Delete(Path.Combine(dir, HmSchema.CustomersFile));
        var e = Fails(dir);
        Assert.Contains(HmSchema.CustomersFile, e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Run_EmptyFile_SaysSoAndGivesTheExpectedHeader()
    {
        var dir = Copy();
        File.WriteAllBytes(Path.Combine(dir, HmSchema.ArticlesFile), []);
        var e = Fails(dir);
        Assert.Contains("empty", e.Message);
        Assert.Contains("article_id,product_code", e.Message);
    }

    [Fact]
    public void Run_HeaderOnly_SaysThereAreNoRows()
    {
        var dir = Copy();
        File.WriteAllText(Path.Combine(dir, HmSchema.TransactionsFile), HmSchema.Header(HmSchema.TransactionColumns) + "\n");
        var e = Fails(dir);
        Assert.Equal(2, e.Line);
        Assert.Contains("no data rows", e.Message);
    }

    [Fact]
    public void Run_MissingColumn_NamesIt()
    {
        var dir = Copy();
        RewriteHeader(dir, HmSchema.CustomersFile, h => h.Replace(",age,", ",", StringComparison.Ordinal));
        RemoveField(dir, HmSchema.CustomersFile, 5);
        var e = Fails(dir);
        Assert.Equal(1, e.Line);
        Assert.Contains("missing column 'age'", e.Message);
    }

    [Fact]
    public void Run_ExtraColumn_NamesIt()
    {
        var dir = Copy();
        RewriteHeader(dir, HmSchema.CustomersFile, h => h + ",shoe_size");
        var e = Fails(dir);
        Assert.Equal(1, e.Line);
        Assert.Equal("shoe_size", e.Column);
        Assert.Contains("position 8", e.Message);
    }

    [Fact]
    public void Run_DuplicateHeader_NamesTheColumn()
    {
        var dir = Copy();
        RewriteHeader(dir, HmSchema.TransactionsFile, h => h.Replace("sales_channel_id", "price", StringComparison.Ordinal));
        var e = Fails(dir);
        Assert.Equal("price", e.Column);
        Assert.Contains("twice", e.Message);
    }

    [Theory]
    [InlineData("a bad date", 1000, "t_dat", "YYYY-MM-DD", "2019-13-45")]
    [InlineData("a price that is no number", 777, "price", "expected a number")]
    [InlineData("a field missing", 50, null, "number of fields")]
    [InlineData("an unknown sales channel", 3000, "sales_channel_id", "1 (store) or 2 (online)")]
    [InlineData("an empty customer id", 123, "customer_id")]
    public void Run_BadTransaction_NamesLineAndColumn(string bad, int row, string? column, params string[] said)
    {
        var dir = Copy();
        var line = ReplaceLine(dir, HmSchema.TransactionsFile, row, l => bad switch
        {
            "a bad date" => "2019-13-45" + l[10..],
            "a price that is no number" => string.Join(',', l.Split(',')[..3]) + ",cheap," + l.Split(',')[4],
            "a field missing" => l[..l.LastIndexOf(',')],
            "an unknown sales channel" => l[..^1] + "3",
            _ => l[..11] + l[75..],
        });
        var e = Fails(dir);
        Assert.Equal(line, e.Line);
        if (column is not null)
        {
            Assert.Equal(column, e.Column);
        }
        Assert.All(said, text => Assert.Contains(text, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Run_NonUtf8Bytes_NamesTheLine()
    {
        var dir = Copy();
        var path = Path.Combine(dir, HmSchema.ArticlesFile);
        var lines = File.ReadAllLines(path);
        var bytes = new List<byte>();
        for (var i = 0; i < lines.Length; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(lines[i]));
            if (i == 41)
            {
                bytes.AddRange(new byte[] { 0xFF, 0xFE });
            }
            bytes.Add((byte)'\n');
        }
        File.WriteAllBytes(path, [.. bytes]);
        var e = Fails(dir);
        Assert.Equal(42, e.Line);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void Run_NonUtf8BytesInsideAField_NamesTheLine()
    {
        var dir = Copy();
        var path = Path.Combine(dir, HmSchema.TransactionsFile);
        var bytes = File.ReadAllBytes(path);
        var line = 1;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n' && ++line == 2500)
            {
                bytes[i + 20] = 0xC3; // a lead byte without its continuation, inside a customer id
                break;
            }
        }
        File.WriteAllBytes(path, bytes);
        var e = Fails(dir);
        Assert.Equal(2500, e.Line);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void Run_DuplicateCustomer_NamesBothLines()
    {
        var dir = Copy();
        var path = Path.Combine(dir, HmSchema.CustomersFile);
        var lines = File.ReadAllLines(path).ToList();
        lines.Insert(300, lines[10]);
        File.WriteAllLines(path, lines);
        var e = Fails(dir);
        Assert.Equal(301, e.Line);
        Assert.Contains("first on line 11", e.Message);
        Assert.Equal("customer_id", e.Column);
    }

    [Fact]
    public void Run_BadInput_LeavesEarlierOutputUntouched()
    {
        var output = Path.Combine(work, "kept");
        Ingestor.Run(IngestInputs.FromDirectory(data.Directory), output, new IngestOptions());
        var before = File.ReadAllBytes(Path.Combine(output, "transactions.parquet"));
        var dir = Copy();
        ReplaceLine(dir, HmSchema.TransactionsFile, 5000, l => "not-a-date" + l[10..]);
        Assert.Throws<InputDataException>(() => Ingestor.Run(IngestInputs.FromDirectory(dir), output, new IngestOptions()));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(output, "transactions.parquet")));
        Assert.Empty(Directory.GetDirectories(work, "*.tmp-*"));
    }

    [Fact]
    public void Validate_BadOptions_NameTheSetting()
    {
        Assert.Contains("TrainingWeeks", Assert.Throws<ArgumentException>(() => new IngestOptions { TrainingWeeks = 0 }.Validate()).Message);
        Assert.Contains("SampleFraction", Assert.Throws<ArgumentException>(() => new IngestOptions { SampleFraction = 1.5 }.Validate()).Message);
        Assert.Contains("ColdStartShare", Assert.Throws<ArgumentException>(() => new IngestOptions { ColdStartShare = 1 }.Validate()).Message);
        Assert.Contains("HistoryWeeks", Assert.Throws<ArgumentException>(() => new IngestOptions { HistoryWeeks = -1 }.Validate()).Message);
    }

    [Theory]
    [MemberData(nameof(MalformedRows))]
    public void Run_MalformedRow_AnyLineEndingOrBom_NamesFileLineAndColumn(string file, string malformation, string encoding)
    {
        var dir = Copy();
        var path = Path.Combine(dir, file);
        var lines = File.ReadAllLines(path);
        const int row = 40;
        lines[row] = (malformation, file) switch
        {
            // The first fields of every file are never quoted: the changes stay clear of the quoted text fields.
            ("not a number", HmSchema.TransactionsFile) => lines[row][..^1] + "x",
            ("not a number", HmSchema.ArticlesFile) => Field(lines[row], 0) + ",12ab" + lines[row][Nth(lines[row], 2)..],
            ("not a number", _) => string.Join(',', lines[row].Split(',') is var f ? f[..5].Append("twenty").Concat(f[6..]) : []),
            ("a field missing", HmSchema.TransactionsFile) => lines[row][..lines[row].LastIndexOf(',')],
            ("a field missing", HmSchema.ArticlesFile) => Field(lines[row], 0) + lines[row][Nth(lines[row], 2)..],
            ("a field missing", _) => lines[row][..lines[row].LastIndexOf(',')],
            _ => Field(lines[row], 0) + ",7" + lines[row][Field(lines[row], 0).Length..],
        };
        var newline = encoding.Contains("CRLF", StringComparison.Ordinal) ? "\r\n" : "\n";
        var text = string.Join(newline, lines) + newline;
        var bom = encoding.Contains("BOM", StringComparison.Ordinal) ? Encoding.UTF8.GetPreamble() : [];
        File.WriteAllBytes(path, [.. bom, .. Encoding.UTF8.GetBytes(text)]);

        var e = Fails(dir);

        Assert.Equal(path, e.File);
        Assert.Equal(row + 1, e.Line);
        if (malformation == "not a number")
        {
            Assert.Equal(file switch { HmSchema.TransactionsFile => "sales_channel_id", HmSchema.ArticlesFile => "product_code", _ => "age" }, e.Column);
        }
        else
        {
            // A field short or too many is named as such, or as the first field it pushes out of place.
            Assert.True(e.Message.Contains("number of fields", StringComparison.Ordinal) || (e.Column is not null && e.Message.Contains("cannot read the value", StringComparison.Ordinal)), e.Message);
        }
        Assert.DoesNotContain("state machine", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> MalformedRows()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var file in new[] { HmSchema.TransactionsFile, HmSchema.ArticlesFile, HmSchema.CustomersFile })
        {
            foreach (var malformation in new[] { "not a number", "a field missing", "a field too many" })
            {
                foreach (var encoding in new[] { "LF", "CRLF", "BOM LF", "BOM CRLF" })
                {
                    cases.Add(file, malformation, encoding);
                }
            }
        }
        return cases;
    }

    /// <summary>The first field of a CSV line whose first fields are unquoted.</summary>
    private static string Field(string line, int index) => line.Split(',')[index];

    /// <summary>The position of the <paramref name="n"/>th comma of <paramref name="line"/> (1-based).</summary>
    private static int Nth(string line, int n)
    {
        var at = -1;
        for (var i = 0; i < n; i++)
        {
            at = line.IndexOf(',', at + 1);
        }
        return at;
    }

    [Theory]
    [InlineData("lf")]
    [InlineData("crlf")]
    [InlineData("cr")]
    [InlineData("crlf, the bad line lf")]
    [InlineData("lf, the bad line crlf")]
    public void Run_MalformedLine_NamesLineAndColumn_WhateverTheLineEndings(string endings)
    {
        var dir = Copy();
        var path = Path.Combine(dir, HmSchema.TransactionsFile);
        var lines = File.ReadAllLines(path);
        const int row = 10;
        lines[row] = string.Join(',', lines[row].Split(',')[..4]) + ",x9";
        var all = endings.Split(", the bad line ");
        string End(int i) => (i == row && all.Length > 1 ? all[1] : all[0]) switch { "lf" => "\n", "crlf" => "\r\n", _ => "\r" };
        File.WriteAllText(path, string.Concat(lines.Select((l, i) => l + End(i))));

        var e = Fails(dir);
        Assert.Equal(path, e.File);
        Assert.Equal(row + 1, e.Line);
        Assert.Equal("sales_channel_id", e.Column);
        Assert.DoesNotContain("   at ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("mixed")]
    public void Run_ValidFileWithCrOrMixedLineEndings_ReadsTheSameRowsAsLf(string endings)
    {
        var dir = Copy();
        var path = Path.Combine(dir, HmSchema.TransactionsFile);
        var lines = File.ReadAllLines(path);
        File.WriteAllText(path, string.Concat(lines.Select((l, i) => l + (endings == "mixed" ? (i % 3 == 0 ? "\n" : "\r\n") : endings))));
        var reference = Ingestor.Run(IngestInputs.FromDirectory(data.Directory), Path.Combine(work, "lf"), new IngestOptions());
        var summary = Ingestor.Run(IngestInputs.FromDirectory(dir), Path.Combine(work, "other"), new IngestOptions());
        Assert.Equal(reference.TransactionRows, summary.TransactionRows);
        Assert.Equal(reference.RowsKept, summary.RowsKept);
        Assert.Equal(reference.CustomersInFile, summary.CustomersInFile);
    }

    private InputDataException Fails(string dir)
    {
        var output = Path.Combine(work, "failed-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<InputDataException>(() => Ingestor.Run(IngestInputs.FromDirectory(dir), output, new IngestOptions()));
        Assert.False(Directory.Exists(output), "a failed ingest must not leave output behind");
        Assert.Empty(Directory.GetDirectories(work, "failed-*"));
        return e;
    }

    private string Copy()
    {
        var dir = Path.Combine(work, "input-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(data.Directory))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }
        return dir;
    }

    private static void RewriteHeader(string dir, string file, Func<string, string> change)
    {
        var path = Path.Combine(dir, file);
        var lines = File.ReadAllLines(path);
        lines[0] = change(lines[0]);
        File.WriteAllLines(path, lines);
    }

    private static void RemoveField(string dir, string file, int index)
    {
        var path = Path.Combine(dir, file);
        var lines = File.ReadAllLines(path);
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',').ToList();
            fields.RemoveAt(index);
            lines[i] = string.Join(',', fields);
        }
        File.WriteAllLines(path, lines);
    }

    /// <summary>Changes one data row; returns its 1-based line number (the header is line 1).</summary>
    private static long ReplaceLine(string dir, string file, int row, Func<string, string> change)
    {
        var path = Path.Combine(dir, file);
        var lines = File.ReadAllLines(path);
        lines[row] = change(lines[row]);
        File.WriteAllLines(path, lines);
        return row + 1;
    }
}
