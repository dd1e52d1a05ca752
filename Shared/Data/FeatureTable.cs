using HmRec.Shared.DuckDb;

namespace HmRec.Shared.Data;

/// <summary>
/// Feature rows read into memory for the rankers and the two-tower network: row-major floats with NaN for
/// missing values, labels, the (week, user, item) of each row, and query groups (one per user and label
/// week, rows consecutive).
/// </summary>
public sealed class FeatureTable
{
    /// <summary>Identity and target columns of a features file; every other column is a feature.</summary>
    public static readonly IReadOnlyList<string> KeyColumns = ["week", "customer_idx", "article_idx", "label"];

    private FeatureTable(string[] names, float[] values, float[] labels, short[] weeks, int[] users, int[] items, uint[] groups)
    {
        Names = names;
        Values = values;
        Labels = labels;
        Weeks = weeks;
        Users = users;
        Items = items;
        Groups = groups;
    }

    public IReadOnlyList<string> Names { get; }

    public float[] Values { get; }

    public float[] Labels { get; }

    public short[] Weeks { get; }

    public int[] Users { get; }

    public int[] Items { get; }

    public uint[] Groups { get; }

    public int Rows => Labels.Length;

    /// <summary>How many feature rows of <paramref name="files"/> match <paramref name="weekCondition"/>.</summary>
    public static long Count(DuckDbConnection connection, string files, string weekCondition) =>
        connection.Scalar<long>($"SELECT count(*) FROM read_parquet('{files.Replace("'", "''", StringComparison.Ordinal)}', hive_partitioning = false) WHERE {weekCondition}");

    /// <summary>
    /// Conditions that split the <paramref name="rows"/> rows matching <paramref name="weekCondition"/> into
    /// parts of about <paramref name="partRows"/> rows, by customer_idx modulo the part count (a user's rows
    /// stay together): for a week too large to load whole, such as the one after the data at full scale.
    /// </summary>
    public static IEnumerable<string> Parts(string weekCondition, long rows, int partRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partRows, 1);
        var parts = (int)Math.Max(1, (rows + partRows - 1) / partRows);
        return Enumerable.Range(0, parts).Select(p => $"({weekCondition}) AND customer_idx % {parts} = {p}");
    }

    /// <summary>
    /// Every feature row of <paramref name="files"/> (a parquet path or glob) whose label week matches
    /// <paramref name="weekCondition"/> (SQL over <c>week</c>), ordered by week, user and item.
    /// </summary>
    public static FeatureTable Load(DuckDbConnection connection, string files, string weekCondition)
    {
        using var result = connection.Query($"""
            SELECT * FROM read_parquet('{files.Replace("'", "''", StringComparison.Ordinal)}', hive_partitioning = false)
            WHERE {weekCondition} ORDER BY week, customer_idx, article_idx
            """);
        var set = result.ReadAll();
        var names = set.Columns.Select(c => c.Name).Where(n => !KeyColumns.Contains(n)).ToArray();
        var rows = set.RowCount;
        var values = new float[(long)rows * names.Length];
        for (var f = 0; f < names.Length; f++)
        {
            var column = set.Get<float>(names[f]);
            for (var r = 0; r < rows; r++)
            {
                values[(long)r * names.Length + f] = column.IsNull(r) ? float.NaN : column.Values[r];
            }
        }
        var labels = set.Get<sbyte>("label").Values.Select(v => (float)v).ToArray();
        var users = set.Get<int>("customer_idx").Values;
        var items = set.Get<int>("article_idx").Values;
        var weeks = set.Get<short>("week").Values;
        var groups = new List<uint>();
        for (var r = 0; r < rows; r++)
        {
            if (r == 0 || users[r] != users[r - 1] || weeks[r] != weeks[r - 1])
            {
                groups.Add(0);
            }
            groups[^1]++;
        }
        return new FeatureTable(names, values, labels, weeks, users, items, [.. groups]);
    }
}
