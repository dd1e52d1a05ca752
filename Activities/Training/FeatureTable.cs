using HmRec.Activities.Common;
using HmRec.Activities.Features;
using HmRec.Shared.DuckDb;

namespace HmRec.Activities.Training;

/// <summary>
/// Feature rows read into memory for XGBoost: row-major floats with NaN for missing values, labels, the
/// (user, item) of each row, and query groups (one per user and label week, rows consecutive).
/// </summary>
public sealed class FeatureTable
{
    private FeatureTable(string[] names, float[] values, float[] labels, int[] users, int[] items, uint[] groups)
    {
        Names = names;
        Values = values;
        Labels = labels;
        Users = users;
        Items = items;
        Groups = groups;
    }

    public IReadOnlyList<string> Names { get; }

    public float[] Values { get; }

    public float[] Labels { get; }

    public int[] Users { get; }

    public int[] Items { get; }

    public uint[] Groups { get; }

    public int Rows => Labels.Length;

    /// <summary>Every feature row of the given label weeks, ordered by week, user and item.</summary>
    public static FeatureTable Load(AnalyticsSession session, RunLayout layout, string weekCondition)
    {
        using var result = session.Connection.Query($"""
            SELECT * FROM read_parquet({AnalyticsSession.Quote(layout.AllFeatures)}, hive_partitioning = false)
            WHERE {weekCondition} ORDER BY week, customer_idx, article_idx
            """);
        var set = result.ReadAll();
        var names = set.Columns.Select(c => c.Name).Where(n => !FeaturesActivity.KeyColumns.Contains(n)).ToArray();
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
        return new FeatureTable(names, values, labels, users, items, [.. groups]);
    }
}
