using DuckDB.NET.Data;
using HmRec.Shared.Analytics;

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
    public static long Count(DuckDBConnection connection, string files, string weekCondition) =>
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
    public static FeatureTable Load(DuckDBConnection connection, string files, string weekCondition)
    {
        // The rows are counted first and the chunks written straight into their row-major place: no column-major copy
        // of the whole table is ever held (at full scale the validation week alone is about 5M rows x 100 floats).
        var rows = checked((int)Count(connection, files, weekCondition));
        using var result = connection.Query($"""
            SELECT * FROM read_parquet('{files.Replace("'", "''", StringComparison.Ordinal)}', hive_partitioning = false)
            WHERE {weekCondition} ORDER BY week, customer_idx, article_idx
            """);
        var reader = result.Reader;
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var names = columns.Where(n => !KeyColumns.Contains(n)).ToArray();
        var features = names.Select(n => IndexOf(columns, n)).ToArray();
        int week = IndexOf(columns, "week"), user = IndexOf(columns, "customer_idx"), item = IndexOf(columns, "article_idx"), label = IndexOf(columns, "label");
        var width = names.Length;
        var values = GC.AllocateUninitializedArray<float>(checked(rows * width));
        var labels = new float[rows];
        var weeks = new short[rows];
        var users = new int[rows];
        var items = new int[rows];
        var at = 0;
        while (reader.Read())
        {
            if (at == rows)
            {
                throw new InvalidOperationException($"The features {files} changed while they were read: more than the {rows} rows counted match {weekCondition}.");
            }
            var target = values.AsSpan(at * width, width);
            for (var f = 0; f < width; f++)
            {
                target[f] = reader.IsDBNull(features[f]) ? float.NaN : reader.GetFieldValue<float>(features[f]);
            }
            labels[at] = reader.GetFieldValue<sbyte>(label);
            weeks[at] = reader.GetFieldValue<short>(week);
            users[at] = reader.GetFieldValue<int>(user);
            items[at] = reader.GetFieldValue<int>(item);
            at++;
        }
        if (at != rows)
        {
            throw new InvalidOperationException($"The features {files} changed while they were read: {at} rows read, {rows} counted for {weekCondition}.");
        }
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

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"The features have no column '{name}'.");
    }
}
