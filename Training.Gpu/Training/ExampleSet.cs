namespace HmRec.Training.Gpu.Training;

/// <summary>
/// Rows ready for the network, on the host: standardised user, item and pair features (row-major, one
/// matrix per part), the item image embeddings when given, labels, and the (user, item) and query group
/// of each row. A record, so that a set that differs in a few parts is the same set <c>with</c> them.
/// </summary>
public sealed record ExampleSet
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
        var set = Allocate(table.Rows, split, images, table.Labels, table.Users, table.Items, table.Groups, purchases);
        set.Fill(0, table, split, standardiser, images);
        return set;
    }

    /// <summary>
    /// The <paramref name="rows"/> rows that <paramref name="scan"/> hands over part by part with each part's first
    /// position (<see cref="FeatureTable.ForEachOrderedPart"/>), split and standardised into one set, so that the parts'
    /// raw floats are never all held at once (a validation week at full scale is large).
    /// </summary>
    public static ExampleSet FromParts(int rows, Func<Action<FeatureTable, int>, FeatureKeys> scan, FeatureSplit split, Standardiser standardiser, ImageEmbeddings? images)
    {
        var set = Allocate(rows, split, images, [], [], [], [], null);
        var keys = scan((part, at) => set.Fill(at, part, split, standardiser, images));
        return set with { Labels = keys.Labels, Users = keys.Users, Items = keys.Items, Groups = keys.Groups };
    }

    /// <summary>This set, knowing how many items each group's user bought in the week (see <see cref="Purchases"/>).</summary>
    public ExampleSet WithPurchases(int[] purchases) => this with { Purchases = purchases };

    private static ExampleSet Allocate(int rows, FeatureSplit split, ImageEmbeddings? images, float[] labels, int[] users, int[] items, uint[] groups, int[]? purchases)
    {
        var (u, i, p) = (split.User.Count, split.Item.Count, split.Pair.Count);
        var e = images?.Dimensions ?? 0;
        return new ExampleSet
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
            Labels = labels,
            Users = users,
            Items = items,
            Groups = groups,
            Purchases = purchases,
        };
    }

    /// <summary>Splits and standardises <paramref name="table"/>'s rows into this set's rows from <paramref name="offset"/>.</summary>
    private void Fill(int offset, FeatureTable table, FeatureSplit split, Standardiser standardiser, ImageEmbeddings? images)
    {
        var columns = table.Names.Count;
        var (u, i, p, e) = (UserColumns, ItemColumns, PairColumns, ImageColumns);
        Parallel.For(0, table.Rows, r =>
        {
            var row = table.Values.AsSpan(r * columns, columns);
            var to = (long)offset + r;
            standardiser.Apply(row, split.User, User.AsSpan((int)(to * u), u));
            standardiser.Apply(row, split.Item, Item.AsSpan((int)(to * i), i));
            standardiser.Apply(row, split.Pair, Pair.AsSpan((int)(to * p), p));
            images?.Copy(table.Items[r], Image.AsSpan((int)(to * e), e));
        });
    }
}
