namespace HmRec.Shared.Tests.Data;

/// <summary>Feature rows read from parquet in DuckDB chunks straight into row-major floats.</summary>
public sealed class FeatureTableTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hmrec-features-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Load_RowsOverManyChunks_RowMajorInWeekUserItemOrder_NullsAsNaN_GroupsPerUserWeek()
    {
        using var connection = DuckDb.Open();
        // 5,000 rows a week (more than two 2,048-row chunks), written in an order the load must undo; f2 is NULL on every 7th row.
        var files = Path.Combine(directory, "week=*.parquet");
        foreach (var week in new[] { 1, 2, 0 })
        {
            connection.Execute($"""
                COPY (SELECT {week}::SMALLINT AS week, ((4999 - i) // 10)::INTEGER AS customer_idx, ((4999 - i) % 10)::INTEGER AS article_idx,
                             (i % 3 = 0)::TINYINT AS label, (i * 0.5 + {week})::FLOAT AS f1,
                             CASE WHEN i % 7 = 0 THEN NULL ELSE -i::FLOAT END AS f2
                      FROM range(5000) t(i))
                TO '{Path.Combine(directory, $"week={week}.parquet")}' (FORMAT parquet)
                """);
        }

        var table = FeatureTable.Load(connection, files, "week >= 1");

        Assert.Equal(["f1", "f2"], table.Names);
        Assert.Equal(10_000, table.Rows);
        Assert.Equal(20_000, table.Values.Length);
        // Row r of week 1: customer r / 10, article r % 10, written from i = 4999 - r.
        for (var r = 0; r < 5000; r++)
        {
            var i = 4999 - r;
            Assert.Equal((short)1, table.Weeks[r]);
            Assert.Equal(r / 10, table.Users[r]);
            Assert.Equal(r % 10, table.Items[r]);
            Assert.Equal(i % 3 == 0 ? 1f : 0f, table.Labels[r]);
            Assert.Equal(i * 0.5f + 1, table.Values[2 * r]);
            Assert.Equal(i % 7 == 0 ? float.NaN : -i, table.Values[2 * r + 1]);
        }
        Assert.Equal((short)2, table.Weeks[5000]);
        // The last row: week 2, customer 499, article 9, written from i = 0.
        Assert.Equal(2f, table.Values[2 * 9999]);
        Assert.True(float.IsNaN(table.Values[2 * 9999 + 1]));
        // One group per user and week, ten rows each.
        Assert.Equal(1000, table.Groups.Length);
        Assert.All(table.Groups, g => Assert.Equal(10u, g));

        var empty = FeatureTable.Load(connection, files, "week = 5");
        Assert.Equal(0, empty.Rows);
        Assert.Empty(empty.Groups);
    }

    [Fact]
    public void ForEachPart_OneScanInBoundedParts_EveryRowOnceWithItsValues()
    {
        using var connection = DuckDb.Open();
        foreach (var week in new[] { -1, 0 })
        {
            connection.Execute($"""
                COPY (SELECT {week}::SMALLINT AS week, (i // 10)::INTEGER AS customer_idx, (i % 10)::INTEGER AS article_idx, 0::TINYINT AS label,
                             (i * 2 + {week})::FLOAT AS f1, CASE WHEN i % 5 = 0 THEN NULL ELSE i::FLOAT END AS f2
                      FROM range(7001) t(i))
                TO '{Path.Combine(directory, $"week={week}.parquet")}' (FORMAT parquet)
                """);
        }

        var sizes = new List<int>();
        var seen = new Dictionary<(int User, int Item), (float F1, float F2)>();
        FeatureTable.ForEachPart(connection, Path.Combine(directory, "week=*.parquet"), "week = -1", 3000, part =>
        {
            sizes.Add(part.Rows);
            Assert.Equal(part.Rows * 2, part.Values.Length);
            for (var r = 0; r < part.Rows; r++)
            {
                Assert.Equal((short)-1, part.Weeks[r]);
                seen.Add((part.Users[r], part.Items[r]), (part.Values[2 * r], part.Values[2 * r + 1]));
            }
        });

        Assert.Equal([3000, 3000, 1001], sizes);
        Assert.Equal(7001, seen.Count);
        for (var i = 0; i < 7001; i++)
        {
            var (f1, f2) = seen[(i / 10, i % 10)];
            Assert.Equal(i * 2 - 1, f1);
            Assert.Equal(i % 5 == 0 ? float.NaN : i, f2);
        }
        var none = 0;
        FeatureTable.ForEachPart(connection, Path.Combine(directory, "week=*.parquet"), "week = 9", 3000, _ => none++);
        Assert.Equal(0, none);
    }
}
