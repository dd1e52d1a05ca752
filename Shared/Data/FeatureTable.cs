using static HmRec.Shared.Analytics.DuckDb;

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
        connection.Scalar<long>($"SELECT count(*) FROM read_parquet({Quote(files)}, hive_partitioning = false) WHERE {weekCondition}");

    /// <summary>
    /// Every feature row of <paramref name="files"/> (a parquet path or glob) whose label week matches
    /// <paramref name="weekCondition"/> (SQL over <c>week</c>), ordered by week, user and item.
    /// </summary>
    public static FeatureTable Load(DuckDBConnection connection, string files, string weekCondition)
    {
        // The rows are counted first and written straight into their row-major place: no column-major copy of the
        // whole table is ever held (at full scale the validation week alone is too large to hold twice).
        var rows = checked((int)Count(connection, files, weekCondition));
        using var result = connection.Stream($"""
            SELECT * FROM read_parquet({Quote(files)}, hive_partitioning = false)
            WHERE {weekCondition} ORDER BY week, customer_idx, article_idx
            """);
        var table = new RowReader(result.Reader).Read(rows);
        if (table.Rows != rows || result.Reader.Read())
        {
            throw new InvalidOperationException($"The features {files} changed while they were read: {rows} rows were counted for {weekCondition}, {(table.Rows != rows ? table.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture) : "more")} read.");
        }
        return table;
    }

    /// <summary>
    /// The feature rows of <paramref name="files"/> matching <paramref name="weekCondition"/> in parts of at most
    /// <paramref name="partRows"/> rows, in no particular order, from one scan of the files: for scoring, where each
    /// row stands alone (a part's <see cref="Groups"/> only follow its rows). Each part is handed to
    /// <paramref name="consume"/> before the next is read; rows stream from DuckDB, never all in memory at once.
    /// </summary>
    public static void ForEachPart(DuckDBConnection connection, string files, string weekCondition, int partRows, Action<FeatureTable> consume) =>
        Scan(connection, files, weekCondition, ordered: false, partRows, consume);

    /// <summary>
    /// <see cref="Load"/>'s <paramref name="rows"/> rows (as counted by <see cref="Count"/>), in its order, a part of at
    /// most <paramref name="partRows"/> rows at a time: <paramref name="consume"/> gets each part with the position of
    /// its first row, for a set built a part at a time whose raw floats are never all held. Returns the keys of the
    /// whole set, groups included (a user's rows cut by a part boundary are one group).
    /// </summary>
    public static FeatureKeys ForEachOrderedPart(DuckDBConnection connection, string files, string weekCondition, int rows, int partRows, Action<FeatureTable, int> consume)
    {
        var keys = new FeatureKeys([], new int[rows], new int[rows], new float[rows], []);
        var groups = new List<uint>();
        var at = 0;
        short lastWeek = 0;
        Scan(connection, files, weekCondition, ordered: true, partRows, part =>
        {
            if (at + (long)part.Rows > rows)
            {
                throw new InvalidOperationException($"The features {files} hold more than the {rows:N0} rows counted for {weekCondition}.");
            }
            consume(part, at);
            part.Users.CopyTo(keys.Users, at);
            part.Items.CopyTo(keys.Items, at);
            part.Labels.CopyTo(keys.Labels, at);
            var continues = at > 0 && part.Users[0] == keys.Users[at - 1] && part.Weeks[0] == lastWeek ? 1 : 0;
            if (continues == 1)
            {
                groups[^1] += part.Groups[0];
            }
            groups.AddRange(part.Groups.AsSpan(continues));
            lastWeek = part.Weeks[^1];
            keys = keys with { Names = part.Names };
            at += part.Rows;
        }, rows);
        return keys with { Groups = [.. groups] };
    }

    private static void Scan(DuckDBConnection connection, string files, string weekCondition, bool ordered, int partRows, Action<FeatureTable> consume, long? counted = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partRows, 1);
        // Streamed: at full scale the week after the data is too large to hold as floats.
        var rows = counted ?? Count(connection, files, weekCondition);
        using var result = connection.Stream($"""
            SELECT * FROM read_parquet({Quote(files)}, hive_partitioning = false) WHERE {weekCondition}
            {(ordered ? "ORDER BY week, customer_idx, article_idx" : "")}
            """);
        var reader = new RowReader(result.Reader);
        var read = 0L;
        while (reader.Read(partRows) is { Rows: > 0 } part)
        {
            read += part.Rows;
            consume(part);
            // The part is garbage now; collected at once, parts do not pile up on the large-object heap, as they
            // otherwise would over a large week.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        if (read != rows)
        {
            throw new InvalidOperationException($"The features {files} were not read whole: {read:N0} of the {rows:N0} rows matching {weekCondition}.");
        }
    }


    /// <summary>Reads result rows into feature tables: the column positions found once, each cell by its typed getter.</summary>
    private sealed class RowReader
    {
        private readonly DuckDBDataReader reader;
        private readonly string[] names;
        private readonly int[] features;
        private readonly int week, user, item, label;

        public RowReader(DuckDBDataReader reader)
        {
            this.reader = reader;
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            names = columns.Where(n => !KeyColumns.Contains(n)).ToArray();
            features = names.Select(n => IndexOf(columns, n)).ToArray();
            (week, user, item, label) = (IndexOf(columns, "week"), IndexOf(columns, "customer_idx"), IndexOf(columns, "article_idx"), IndexOf(columns, "label"));
        }

        /// <summary>The next <paramref name="maxRows"/> rows at most (fewer at the end of the result).</summary>
        public FeatureTable Read(int maxRows)
        {
            var width = names.Length;
            var values = GC.AllocateUninitializedArray<float>(checked(maxRows * width));
            var labels = new float[maxRows];
            var weeks = new short[maxRows];
            var users = new int[maxRows];
            var items = new int[maxRows];
            var at = 0;
            while (at < maxRows && reader.Read())
            {
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
            if (at < maxRows)
            {
                Array.Resize(ref values, at * width);
                Array.Resize(ref labels, at);
                Array.Resize(ref weeks, at);
                Array.Resize(ref users, at);
                Array.Resize(ref items, at);
            }
            var groups = new List<uint>();
            for (var r = 0; r < at; r++)
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

/// <summary>The keys of a feature set read a part at a time: column names, and per row user, item and label; query groups.</summary>
public sealed record FeatureKeys(IReadOnlyList<string> Names, int[] Users, int[] Items, float[] Labels, uint[] Groups);
