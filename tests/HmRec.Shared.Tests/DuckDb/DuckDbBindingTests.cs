using HmRec.Shared.DuckDb;

namespace HmRec.Shared.Tests.DuckDb;

public sealed class DuckDbBindingTests : IDisposable
{
    private readonly DuckDbDatabase database = DuckDbDatabase.Open();
    private readonly DuckDbConnection connection;

    public DuckDbBindingTests() => connection = database.Connect();

    public void Dispose()
    {
        connection.Dispose();
        database.Dispose();
    }

    [Fact]
    public void LibraryVersion_Loaded_IsVersionOneFive()
    {
        Assert.StartsWith("v1.5", DuckDbDatabase.LibraryVersion);
    }

    [Fact]
    public void ReadAll_EveryColumnType_WithAndWithoutNulls_ReadsValuesAndMask()
    {
        connection.Execute("""
            CREATE TABLE t (i INTEGER, b BIGINT, f FLOAT, d DOUBLE, o BOOLEAN, s VARCHAR, dt DATE, ts TIMESTAMP, ti TINYINT);
            INSERT INTO t VALUES
              (1, 10000000000, 1.5, 2.25, true, 'short', DATE '2020-09-22', TIMESTAMP '2020-09-22 10:11:12.5', 1),
              (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (-3, -5, -0.5, 1e300, false, 'a string longer than twelve bytes, with ünïcode', DATE '1969-12-31', TIMESTAMP '1970-01-01 00:00:00', 2);
            """);
        using var result = connection.Query("SELECT * FROM t");
        var cols = result.ReadAll();

        Assert.Equal(3, cols.RowCount);
        Assert.Equal(new[] { 1, 0, -3 }, cols.Get<int>("i").Values);
        Assert.Equal(new[] { 10000000000L, 0, -5 }, cols.Get<long>("b").Values);
        Assert.Equal(1.5f, cols.Get<float>("f").Values[0]);
        Assert.Equal(1e300, cols.Get<double>("d").Values[2]);
        Assert.True(cols.Get<bool>("o").Values[0]);
        Assert.False(cols.Get<bool>("o").Values[2]);
        Assert.Equal(new string?[] { "short", null, "a string longer than twelve bytes, with ünïcode" }, cols.GetStrings("s").Values);
        Assert.Equal(new DateOnly?[] { new(2020, 9, 22), null, new(1969, 12, 31) }, cols.GetDates("dt"));
        Assert.Equal(new DateTime(2020, 9, 22, 10, 11, 12, 500, DateTimeKind.Utc), cols.GetTimestamps("ts")[0]);
        Assert.Equal(DateTime.UnixEpoch, cols.GetTimestamps("ts")[2]);
        Assert.Equal(new sbyte[] { 1, 0, 2 }, cols.Get<sbyte>("ti").Values);
        foreach (var column in cols.Columns)
        {
            Assert.True(column.HasNulls, column.Name);
            Assert.False(column.IsNull(0), column.Name);
            Assert.True(column.IsNull(1), column.Name);
            Assert.False(column.IsNull(2), column.Name);
        }
    }

    [Fact]
    public void ReadAll_ColumnWithoutNulls_HasNoMask()
    {
        using var result = connection.Query("SELECT range::INTEGER AS x FROM range(5)");
        var column = result.ReadAll().Get<int>("x");
        Assert.False(column.HasNulls);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, column.Values);
    }

    [Fact]
    public void FetchChunk_ManyRows_StreamsChunksAndCoversEveryRow()
    {
        using var result = connection.Query("SELECT range AS x, CASE WHEN range % 7 = 0 THEN NULL ELSE range::DOUBLE END AS y FROM range(10000)");
        long sum = 0, rows = 0, nulls = 0, chunks = 0;
        while (result.FetchChunk() is { } chunk)
        {
            using (chunk)
            {
                chunks++;
                var x = chunk.GetVector(0).GetValues<long>();
                var y = chunk.GetVector(1);
                for (var i = 0; i < chunk.RowCount; i++)
                {
                    sum += x[i];
                    nulls += y.IsNull(i) ? 1 : 0;
                }
                rows += chunk.RowCount;
            }
        }
        Assert.Equal(10000, rows);
        Assert.Equal(10000L * 9999 / 2, sum);
        Assert.Equal(1429, nulls);
        Assert.True(chunks >= 5, $"expected several chunks of at most 2048 rows, got {chunks}");
    }

    [Fact]
    public void GetValues_WrongType_ThrowsNamingBothTypes()
    {
        using var result = connection.Query("SELECT 1::BIGINT AS x");
        using var chunk = result.FetchChunk()!;
        InvalidOperationException? error = null;
        try
        {
            _ = chunk.GetVector(0).GetValues<int>();
        }
        catch (InvalidOperationException e)
        {
            error = e;
        }
        Assert.NotNull(error);
        Assert.Contains("BigInt", error!.Message);
        Assert.Contains("Int64", error.Message);
    }

    [Fact]
    public void Query_WithParameters_BindsEveryType()
    {
        using var result = connection.Query(
            "SELECT $1 + 1 AS i, $2 * 2 AS l, $3 AS f, $4 AS d, NOT $5 AS b, $6 || '!' AS s, $7 + 1 AS dt, $8 AS ts, $9 IS NULL AS n",
            41, 21L, 0.25f, 0.5, false, "hi", new DateOnly(2020, 2, 28), new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), null);
        var cols = result.ReadAll();
        Assert.Equal(42, cols.Get<int>("i").Values[0]);
        Assert.Equal(42L, cols.Get<long>("l").Values[0]);
        Assert.Equal(0.25f, cols.Get<float>("f").Values[0]);
        Assert.Equal(0.5, cols.Get<double>("d").Values[0]);
        Assert.True(cols.Get<bool>("b").Values[0]);
        Assert.Equal("hi!", cols.GetStrings("s").Values[0]);
        Assert.Equal(new DateOnly(2020, 2, 29), cols.GetDates("dt")[0]);
        Assert.Equal(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc), cols.GetTimestamps("ts")[0]);
        Assert.True(cols.Get<bool>("n").Values[0]);
    }

    [Fact]
    public void PreparedStatement_ReusedWithNewBindings_ReturnsEachResult()
    {
        connection.Execute("CREATE TABLE kv (k INTEGER, v VARCHAR)");
        using (var insert = connection.Prepare("INSERT INTO kv VALUES ($1, $2)"))
        {
            Assert.Equal(2, insert.ParameterCount);
            for (var i = 0; i < 100; i++)
            {
                Assert.Equal(1, insert.Bind(1, i).Bind(2, $"v{i}").Execute());
            }
        }
        using var select = connection.Prepare("SELECT v FROM kv WHERE k = ?");
        select.Bind(1, 7);
        using (var r = select.Query())
        {
            Assert.Equal("v7", r.ReadAll().GetStrings("v").Values.Single());
        }
        select.ClearBindings();
        select.Bind(1, 99);
        using (var r = select.Query())
        {
            Assert.Equal("v99", r.ReadAll().GetStrings("v").Values.Single());
        }
    }

    [Fact]
    public void Bind_IndexOutOfRange_ThrowsDuckDbException()
    {
        using var statement = connection.Prepare("SELECT $1::INTEGER");
        Assert.Throws<DuckDbException>(() => statement.Bind(2, 1));
    }

    [Fact]
    public void Query_WrongParameterCount_ThrowsNamingCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => connection.Query("SELECT $1, $2", 1));
        Assert.Contains("2 parameter", e.Message);
    }

    [Fact]
    public void Appender_RoundTrip_WritesEveryTypeAndNulls()
    {
        connection.Execute("CREATE TABLE a (i INTEGER, b BIGINT, f FLOAT, d DOUBLE, o BOOLEAN, s VARCHAR, dt DATE, ts TIMESTAMP, t TINYINT, sm SMALLINT)");
        using (var appender = connection.CreateAppender("a"))
        {
            for (var i = 0; i < 5000; i++)
            {
                appender.Append(i).Append((long)i * 3).Append(i / 2f).Append(i / 4.0).Append(i % 2 == 0)
                    .Append(i % 10 == 0 ? null : $"row {i}").Append(new DateOnly(2020, 1, 1).AddDays(i % 365))
                    .Append(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i)).Append((sbyte)(i % 3)).Append((short)i)
                    .EndRow();
            }
            appender.AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().AppendNull().EndRow();
            appender.Close();
        }
        Assert.Equal(5001L, connection.Scalar<long>("SELECT count(*) FROM a"));
        Assert.Equal(5000L * 4999 / 2 * 3, connection.Scalar<long>("SELECT sum(b) FROM a"));
        Assert.Equal(501L, connection.Scalar<long>("SELECT count(*) FROM a WHERE s IS NULL"));
        Assert.Equal("row 4999", connection.Scalar<string>("SELECT s FROM a WHERE i = 4999"));
        Assert.Equal(new DateOnly(2020, 1, 1).AddDays(4999 % 365), connection.Scalar<DateOnly>("SELECT dt FROM a WHERE i = 4999"));
        Assert.Equal(1L, connection.Scalar<long>("SELECT count(*) FROM a WHERE i IS NULL AND ts IS NULL"));
    }

    [Fact]
    public void Appender_TooFewColumns_ThrowsWithDuckDbMessage()
    {
        connection.Execute("CREATE TABLE two (x INTEGER, y INTEGER)");
        using var appender = connection.CreateAppender("two");
        appender.Append(1);
        var e = Assert.Throws<DuckDbException>(() => appender.EndRow());
        Assert.Contains("column", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Appender_ConstraintViolation_SurfacesOnClose()
    {
        connection.Execute("CREATE TABLE pk (x INTEGER PRIMARY KEY)");
        using var appender = connection.CreateAppender("pk");
        appender.Append(1).EndRow().Append(1).EndRow();
        var e = Assert.Throws<DuckDbException>(() => appender.Close());
        Assert.Contains("constraint", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void CreateAppender_UnknownTable_ThrowsNamingTable()
    {
        var e = Assert.Throws<DuckDbException>(() => connection.CreateAppender("no_such_table"));
        Assert.Contains("no_such_table", e.Message);
    }

    [Fact]
    public void Query_SyntaxError_ThrowsWithDuckDbMessage()
    {
        var e = Assert.Throws<DuckDbException>(() => connection.Query("SELEC 1"));
        Assert.Contains("syntax error", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Query_MissingTable_ThrowsNamingTable()
    {
        var e = Assert.Throws<DuckDbException>(() => connection.Execute("SELECT * FROM missing_table"));
        Assert.Contains("missing_table", e.Message);
    }

    [Fact]
    public void Prepare_BadSql_ThrowsWithDuckDbMessage()
    {
        var e = Assert.Throws<DuckDbException>(() => connection.Prepare("SELECT * FROM nowhere WHERE x = $1"));
        Assert.Contains("nowhere", e.Message);
    }

    [Fact]
    public void Open_BadSetting_ThrowsNamingSetting()
    {
        var e = Assert.Throws<DuckDbException>(() => DuckDbDatabase.Open(settings: new Dictionary<string, string> { ["no_such_setting"] = "1" }));
        Assert.Contains("no_such_setting", e.Message);
    }

    [Fact]
    public void Open_Settings_AreApplied()
    {
        using var db = DuckDbDatabase.Open(settings: new Dictionary<string, string> { ["threads"] = "1" });
        using var c = db.Connect();
        Assert.Equal(1L, c.Scalar<long>("SELECT current_setting('threads')"));
    }

    [Fact]
    public void Open_FileDatabase_PersistsAcrossReopen()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hmrec-{Guid.NewGuid():N}.duckdb");
        try
        {
            using (var db = DuckDbDatabase.Open(path))
            using (var c = db.Connect())
            {
                c.Execute("CREATE TABLE p AS SELECT 42 AS answer");
            }
            using (var db = DuckDbDatabase.Open(path))
            using (var c = db.Connect())
            {
                Assert.Equal(42, c.Scalar<int>("SELECT answer FROM p"));
            }
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + ".wal");
        }
    }

    [Fact]
    public void Dispose_DatabaseBeforeConnection_ConnectionKeepsWorkingUntilDisposed()
    {
        var db = DuckDbDatabase.Open();
        var c = db.Connect();
        db.Dispose();
        Assert.Equal(2, c.Scalar<int>("SELECT 1 + 1"));
        c.Dispose();
        Assert.Throws<ObjectDisposedException>(() => c.Query("SELECT 1"));
        Assert.Throws<ObjectDisposedException>(() => db.Connect());
    }

    [Fact]
    public void Dispose_Twice_IsHarmless()
    {
        var c = database.Connect();
        var statement = c.Prepare("SELECT 1");
        var result = c.Query("SELECT 1");
        result.Dispose();
        result.Dispose();
        statement.Dispose();
        statement.Dispose();
        c.Dispose();
        c.Dispose();
        Assert.Throws<ObjectDisposedException>(() => result.FetchChunk());
    }

    [Fact]
    public void Scalar_NoRows_ReturnsDefault()
    {
        Assert.Null(connection.Scalar<string>("SELECT 'x' WHERE false"));
        Assert.Equal(0L, connection.Scalar<long>("SELECT 1::BIGINT WHERE false"));
    }

    [Fact]
    public void ReadAll_UnsupportedType_ThrowsSuggestingCast()
    {
        using var result = connection.Query("SELECT [1, 2] AS l");
        var e = Assert.Throws<InvalidOperationException>(() => result.ReadAll());
        Assert.Contains("cast", e.Message);
    }
}
