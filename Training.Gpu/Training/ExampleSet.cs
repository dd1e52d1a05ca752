using HmRec.Shared.Data;

namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Rows ready for the network, on the host: standardised user, item and pair features (row-major, one
/// matrix per part), the item image embeddings when given, labels, and the (user, item) and query group
/// of each row.
/// </summary>
public sealed class ExampleSet
{
    public required int Rows { get; init; }

    public required int UserColumns { get; init; }

    public required int ItemColumns { get; init; }

    public required int PairColumns { get; init; }

    public required int ImageColumns { get; init; }

    public required float[] User { get; init; }

    public required float[] Item { get; init; }

    public required float[] Pair { get; init; }

    /// <summary>Image embeddings per row, or empty when the run has none.</summary>
    public required float[] Image { get; init; }

    public required float[] Labels { get; init; }

    public required int[] Users { get; init; }

    public required int[] Items { get; init; }

    /// <summary>Consecutive rows of one user in one week.</summary>
    public required uint[] Groups { get; init; }

    /// <summary>
    /// How many items each group's user bought in the week, candidates or not, when known: the validation
    /// MAP@12 then is the competition's (see <see cref="CandidateMap"/>); null: the positive labels stand in.
    /// </summary>
    public int[]? Purchases { get; init; }

    /// <summary>The rows of <paramref name="table"/>, split and standardised.</summary>
    public static ExampleSet From(FeatureTable table, FeatureSplit split, Standardiser standardiser, ImageEmbeddings? images, int[]? purchases = null)
    {
        var rows = table.Rows;
        var columns = table.Names.Count;
        var (u, i, p) = (split.User.Count, split.Item.Count, split.Pair.Count);
        var e = images?.Dimensions ?? 0;
        var set = new ExampleSet
        {
            Rows = rows,
            UserColumns = u,
            ItemColumns = i,
            PairColumns = p,
            ImageColumns = e,
            User = new float[(long)rows * u],
            Item = new float[(long)rows * i],
            Pair = new float[(long)rows * p],
            Image = new float[(long)rows * e],
            Labels = table.Labels,
            Users = table.Users,
            Items = table.Items,
            Groups = table.Groups,
            Purchases = purchases,
        };
        Parallel.For(0, rows, r =>
        {
            var row = table.Values.AsSpan(r * columns, columns);
            standardiser.Apply(row, split.User, set.User.AsSpan(r * u, u));
            standardiser.Apply(row, split.Item, set.Item.AsSpan(r * i, i));
            standardiser.Apply(row, split.Pair, set.Pair.AsSpan(r * p, p));
            images?.Copy(table.Items[r], set.Image.AsSpan(r * e, e));
        });
        return set;
    }
}
