using DuckDB.NET.Native;

namespace HmRec.Shared.Tests.Analytics;

/// <summary>The project's few ways of using DuckDB.NET, against the libduckdb its package ships.</summary>
public sealed class DuckDbTests : IDisposable
{
    private readonly DuckDBConnection connection = DuckDb.Open();

    public void Dispose() => connection.Dispose();

    [Fact]
    public void Open_LibraryFromThePackage_IsVersionOneFiveSix()
    {
        Assert.StartsWith("v1.5.6", connection.Scalar<string>("SELECT version()"));
    }

    [Fact]
    public void ReadAll_EveryColumnType_WithAndWithoutNulls_ReadsValuesAndNulls()
    {
        using var result = connection.Query("""
            SELECT * FROM (VALUES
              (true, 1::TINYINT, 2::SMALLINT, 3::INTEGER, 4::BIGINT, 5::UTINYINT, 1.5::FLOAT, 2.5::DOUBLE, 'a', DATE '2020-09-22', TIMESTAMP '2020-09-22 10:30:00'),
              (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (false, -1::TINYINT, -2::SMALLINT, -3::INTEGER, -4::BIGINT, 255::UTINYINT, -1.5::FLOAT, -2.5::DOUBLE, 'é', DATE '1970-01-01', TIMESTAMP '1970-01-01 00:00:00'))
              AS t(b, i8, i16, i32, i64, u8, f, d, s, day, ts)
            """);
        var c = result.ReadAll();

        Assert.Equal(3, c.RowCount);
        Assert.Equal([true, false, false], c.Get<bool>("b").Values);
        Assert.Equal([(sbyte)1, (sbyte)0, (sbyte)-1], c.Get<sbyte>("i8").Values);
        Assert.Equal([(short)2, (short)0, (short)-2], c.Get<short>("i16").Values);
        Assert.Equal([3, 0, -3], c.Get<int>("I32").Values);
        Assert.Equal([4L, 0L, -4L], c.Get<long>("i64").Values);
        Assert.Equal([(byte)5, (byte)0, (byte)255], c.Get<byte>("u8").Values);
        Assert.Equal([1.5f, 0f, -1.5f], c.Get<float>("f").Values);
        Assert.Equal([2.5, 0, -2.5], c.Get<double>("d").Values);
        Assert.Equal(new string?[] { "a", null, "é" }, c.GetStrings("s").Values);
        Assert.Equal([new DateOnly(2020, 9, 22), null, new DateOnly(1970, 1, 1)], c.GetDates("day"));
        Assert.Equal([new DateTime(2020, 9, 22, 10, 30, 0), null, DateTime.UnixEpoch], c.GetTimestamps("ts").Select(t => t is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : (DateTime?)null));
        Assert.All(c.Columns, column => Assert.True(column.HasNulls));
        Assert.All(c.Columns, column => Assert.Equal([false, true, false], Enumerable.Range(0, 3).Select(column.IsNull)));
    }

    [Fact]
    public void ReadAll_ManyRows_ReadsEveryRowWithoutNulls()
    {
        using var result = connection.Query("SELECT i::INTEGER AS i, (i * 0.5)::DOUBLE AS h FROM range(100000) r(i) ORDER BY i");
        var c = result.ReadAll();

        Assert.Equal(100_000, c.RowCount);
        Assert.False(c["i"].HasNulls);
        Assert.Equal(Enumerable.Range(0, 100_000), c.Get<int>("i").Values);
        Assert.Equal(49_999.5, c.Get<double>("h").Values[^1]);
    }

    [Fact]
    public void ReadAll_WrongTypeOrName_ThrowsNamingBoth()
    {
        using var result = connection.Query("SELECT 1::INTEGER AS n");
        var c = result.ReadAll();

        var wrongType = Assert.Throws<InvalidOperationException>(() => c.Get<long>("n"));
        Assert.Contains("'n' is Integer", wrongType.Message);
        Assert.Contains("Int64", wrongType.Message);
        var wrongName = Assert.Throws<KeyNotFoundException>(() => c["m"]);
        Assert.Contains("no column 'm'; it has: n", wrongName.Message);
    }

    [Fact]
    public void ReadAll_UnsupportedType_ThrowsSuggestingCast()
    {
        using var result = connection.Query("SELECT 1::HUGEINT AS h");
        var error = Assert.Throws<InvalidOperationException>(() => result.ReadAll());
        Assert.Contains("'h' has type HugeInt", error.Message);
        Assert.Contains("cast it in SQL", error.Message);
    }

    [Fact]
    public void Query_Parameters_BindEachType()
    {
        using var result = connection.Query("SELECT $1::INTEGER AS i, $2::BIGINT AS l, $3::DOUBLE AS d, $4 AS s, $5::DATE AS day, $6::INTEGER AS missing",
            7, 8L, 0.25, "it's", new DateOnly(2020, 9, 22), null);
        var c = result.ReadAll();

        Assert.Equal(7, c.Get<int>("i").Values[0]);
        Assert.Equal(8L, c.Get<long>("l").Values[0]);
        Assert.Equal(0.25, c.Get<double>("d").Values[0]);
        Assert.Equal("it's", c.GetStrings("s").Values[0]);
        Assert.Equal(new DateOnly(2020, 9, 22), c.GetDates("day")[0]);
        Assert.True(c["missing"].IsNull(0));
    }

    [Fact]
    public void Scalar_ConvertsAndReturnsDefaultForNoRowOrNull()
    {
        Assert.Equal(3L, connection.Scalar<long>("SELECT 3::INTEGER"));
        Assert.Equal(6L, connection.Scalar<long>("SELECT sum(i) FROM range(4) r(i)")); // HUGEINT
        Assert.Equal(1.5, connection.Scalar<double>("SELECT 1.5::FLOAT"));
        Assert.Equal(new DateOnly(2020, 9, 22), connection.Scalar<DateOnly>("SELECT DATE '2020-09-22'"));
        Assert.Equal(0, connection.Scalar<int>("SELECT 1 WHERE false"));
        Assert.Null(connection.Scalar<int?>("SELECT NULL::INTEGER"));
        Assert.Equal(5, connection.Scalar<int>("SELECT ? + 2", 3));
    }

    [Fact]
    public void Execute_SeveralStatements_RunsEachAndCountsRows()
    {
        connection.Execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)");
        Assert.Equal(2, connection.Execute("UPDATE t SET x = x + 1"));
        Assert.Equal(5L, connection.Scalar<long>("SELECT sum(x)::BIGINT FROM t"));
    }

    [Fact]
    public void Errors_KeepDuckDbsMessageAndKind()
    {
        var missing = Assert.Throws<DuckDBException>(() => connection.Execute("SELECT * FROM no_such_table"));
        Assert.Contains("Table with name no_such_table does not exist", missing.Message);
        var conversion = Assert.Throws<DuckDBException>(() => connection.Scalar<int>("SELECT 'x'::INTEGER"));
        Assert.Equal(DuckDBErrorType.Conversion, conversion.ErrorType);
        Assert.Contains("Could not convert string 'x' to INT32", conversion.Message);
        var syntax = Assert.Throws<DuckDBException>(() => connection.Query("SELEC 1"));
        Assert.Contains("syntax error", syntax.Message);
    }

    [Fact]
    public void Open_Settings_AreAppliedPerDatabase()
    {
        using var limited = DuckDb.Open(new Dictionary<string, string> { ["memory_limit"] = "300MB", ["threads"] = "1", ["preserve_insertion_order"] = "false" });

        Assert.Equal(1L, limited.Scalar<long>("SELECT current_setting('threads')"));
        Assert.Contains("MiB", limited.Scalar<string>("SELECT current_setting('memory_limit')"));
        Assert.False(limited.Scalar<bool>("SELECT current_setting('preserve_insertion_order')"));
        // Each Open is its own database: a table in one is not in the other.
        limited.Execute("CREATE TABLE only_here (x INTEGER)");
        Assert.Throws<DuckDBException>(() => connection.Execute("SELECT * FROM only_here"));
    }

    [Fact]
    public void Open_BadSetting_ThrowsNamingIt()
    {
        var error = Assert.ThrowsAny<Exception>(() => DuckDb.Open(new Dictionary<string, string> { ["memory_limit"] = "lots" }));
        Assert.Contains("memory_limit", error.Message);
    }

    [Fact]
    public void Appender_ExactColumnTypes_RoundTrip()
    {
        connection.Execute("CREATE TABLE scores (customer_idx INTEGER, article_idx INTEGER, score FLOAT, weight DOUBLE)");
        using (var appender = connection.CreateAppender("scores"))
        {
            for (var i = 0; i < 5000; i++)
            {
                appender.CreateRow().AppendValue(i).AppendValue(-i).AppendValue(i * 0.5f).AppendValue(i * 0.25).EndRow();
            }
            appender.Close();
        }

        using var result = connection.Query("SELECT * FROM scores ORDER BY customer_idx");
        var c = result.ReadAll();
        Assert.Equal(5000, c.RowCount);
        Assert.Equal(-4999, c.Get<int>("article_idx").Values[^1]);
        Assert.Equal(2499.5f, c.Get<float>("score").Values[^1]);
        Assert.Equal(1249.75, c.Get<double>("weight").Values[^1]);
    }
}
