namespace HmRec.Shared.LightGbm;

/// <summary>
/// A LightGBM model (its text form) scored in managed code, with the same result bits as
/// <see cref="LgbmBooster.Predict"/>: each tree's leaf is found by LightGBM's rules (its missing-value types
/// and default directions, values within 1e-35 of zero read as zero), the leaves are added in tree order in
/// double, and the binary objective's sigmoid is applied as LightGBM applies it.
/// <para>Why: LightGBM walks one row through every tree in turn, so each tree's nodes come from memory again
/// for each row and each step waits on the one before. Here a block of rows goes through one tree at a time,
/// eight rows walked side by side, without branches on the direction taken, so the tree stays in the cache and
/// the eight walks overlap.</para>
/// Numerical splits of one-class models (binary, lambdarank, rank_xendcg) are supported; <see cref="TryParse"/>
/// returns null for any other model, which is then left to LightGBM.
/// </summary>
public sealed unsafe class LgbmForest
{
    private const int BlockRows = 512;
    private const double ZeroThreshold = 1e-35f;

    // Flags of a node: NaN goes left; zero is the missing value (missing type Zero); then zero goes left.
    private const int NanLeft = 1;
    private const int ZeroMissing = 2;
    private const int ZeroLeft = 4;
    private const int MaxFeature = int.MaxValue >> 3;

    private readonly Node[] nodes;
    private readonly double[] leafValues; // by node index; leaves only
    private readonly int[] roots;
    private readonly double? sigmoid;

    private LgbmForest(Node[] nodes, double[] leafValues, int[] roots, int features, double? sigmoid)
    {
        this.nodes = nodes;
        this.leafValues = leafValues;
        this.roots = roots;
        Features = features;
        this.sigmoid = sigmoid;
    }

    /// <summary>Features a row must have (the model's largest feature index + 1).</summary>
    public int Features { get; }

    /// <summary>Trees in the model.</summary>
    public int Trees => roots.Length;

    /// <summary>
    /// A node in one array for all trees (16 bytes). A leaf is a node too: both children are itself, so a walk
    /// that has reached it stays there. The threshold is LightGBM's double rounded down to a float: for a float
    /// value x, x &lt;= t exactly when x &lt;= the largest float not above t.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Node
    {
        public float Threshold;
        public int FeatureFlags; // feature << 3 | flags
        public int Right;
        public int Left; // right after Right: the child is (&Right)[goesLeft]
    }

    /// <summary>The model in LightGBM's text form as a forest, or null when it has anything not supported here.</summary>
    public static LgbmForest? TryParse(string model)
    {
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var trees = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (var raw in model.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line == "end of trees")
            {
                break;
            }
            if (line.StartsWith("Tree=", StringComparison.Ordinal))
            {
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                trees.Add(current);
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq > 0)
            {
                (current ?? header)[line[..eq]] = line[(eq + 1)..];
            }
        }
        if (header.GetValueOrDefault("num_class") != "1" || header.GetValueOrDefault("num_tree_per_iteration") != "1"
            || header.ContainsKey("average_output") || !header.TryGetValue("max_feature_idx", out var maxFeature)
            || !header.TryGetValue("objective", out var objective))
        {
            return null;
        }
        double? sigmoid = null;
        var objectiveParts = objective.Split(' ');
        switch (objectiveParts[0])
        {
            case "lambdarank":
            case "rank_xendcg":
                break;
            case "binary":
                var s = objectiveParts.FirstOrDefault(p => p.StartsWith("sigmoid:", StringComparison.Ordinal));
                if (s is null)
                {
                    return null;
                }
                sigmoid = Number(s["sigmoid:".Length..]);
                break;
            default:
                return null;
        }

        var nodes = new List<Node>();
        var leafValueList = new List<double>();
        var roots = new int[trees.Count];
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            if (tree.GetValueOrDefault("num_cat", "0") != "0" || tree.GetValueOrDefault("is_linear", "0") != "0"
                || !tree.TryGetValue("num_leaves", out var leavesText) || !tree.TryGetValue("leaf_value", out var leafText))
            {
                return null;
            }
            var leaves = int.Parse(leavesText, CultureInfo.InvariantCulture);
            var leafValues = Numbers(leafText);
            if (leafValues.Length != leaves)
            {
                return null;
            }
            var first = nodes.Count;
            var internals = leaves - 1;
            if (internals == 0)
            {
                roots[t] = first;
                nodes.Add(new Node { Right = first, Left = first });
                leafValueList.Add(leafValues[0]);
                continue;
            }
            var features = Integers(tree["split_feature"]);
            var thresholds = Numbers(tree["threshold"]);
            var decisions = Integers(tree["decision_type"]);
            var lefts = Integers(tree["left_child"]);
            var rights = Integers(tree["right_child"]);
            if (features.Length != internals || thresholds.Length != internals || decisions.Length != internals
                || lefts.Length != internals || rights.Length != internals)
            {
                return null;
            }
            // Internal nodes first, then the leaves; a child below zero is leaf ~child.
            int Index(int child) => child >= 0 ? first + child : first + internals + ~child;
            for (var i = 0; i < internals; i++)
            {
                if ((decisions[i] & 1) != 0)
                {
                    return null; // a categorical split
                }
                var defaultLeft = (decisions[i] & 2) != 0;
                var missing = (decisions[i] >> 2) & 3; // 0 none, 1 zero, 2 NaN
                var threshold = thresholds[i];
                // NaN: compared as zero where NaN is not the missing value, else the default direction.
                var nanLeft = missing == 0 ? 0.0 <= threshold : defaultLeft;
                var flags = (nanLeft ? NanLeft : 0) | (missing == 1 ? ZeroMissing | (defaultLeft ? ZeroLeft : 0) : 0);
                if (features[i] < 0 || features[i] > MaxFeature)
                {
                    return null;
                }
                nodes.Add(new Node { Threshold = FloatAtMost(threshold), FeatureFlags = features[i] << 3 | flags, Left = Index(lefts[i]), Right = Index(rights[i]) });
                leafValueList.Add(0);
            }
            for (var l = 0; l < leaves; l++)
            {
                var self = first + internals + l;
                nodes.Add(new Node { Right = self, Left = self });
                leafValueList.Add(leafValues[l]);
            }
            roots[t] = first;
        }
        return new LgbmForest([.. nodes], [.. leafValueList], roots, int.Parse(maxFeature, CultureInfo.InvariantCulture) + 1, sigmoid);
    }

    /// <summary>The model's output (LightGBM's normal prediction) for dense row-major rows of <paramref name="columns"/> features.</summary>
    public double[] Predict(ReadOnlySpan<float> values, int rows, int columns, int threads = 0)
    {
        if (columns < Features || rows < 0 || (long)rows * columns != values.Length)
        {
            throw new ArgumentException($"{rows} rows of {columns} features (the model reads {Features}) need {(long)rows * columns} values (got {values.Length}).", nameof(values));
        }
        var result = new double[rows];
        var blocks = (rows + BlockRows - 1) / BlockRows;
        fixed (float* data = values)
        {
            var pointer = (IntPtr)data;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount }, () => new float[BlockRows * columns],
                (block, _, scratch) =>
                {
                    var start = block * BlockRows;
                    var count = Math.Min(BlockRows, rows - start);
                    ScoreBlock((float*)pointer + (long)start * columns, count, columns, scratch, result.AsSpan(start, count));
                    return scratch;
                }, _ => { });
        }
        return result;
    }

    private void ScoreBlock(float* rows, int count, int columns, float[] scratch, Span<double> output)
    {
        // LightGBM reads values within 1e-35 of zero as zero: where a block has any, it is scored from a copy with them zeroed.
        var span = new ReadOnlySpan<float>(rows, count * columns);
        var tiny = false;
        foreach (var v in span)
        {
            if (v != 0 && Math.Abs((double)v) <= ZeroThreshold)
            {
                tiny = true;
                break;
            }
        }
        fixed (float* copy = scratch)
        fixed (Node* n = nodes)
        fixed (double* leaf = leafValues)
        fixed (double* sums = output)
        {
            var x = rows;
            if (tiny)
            {
                for (var i = 0; i < span.Length; i++)
                {
                    copy[i] = Math.Abs((double)span[i]) <= ZeroThreshold ? 0f : span[i];
                }
                x = copy;
            }
            for (var r = 0; r < count; r++)
            {
                sums[r] = 0;
            }
            foreach (var root in roots)
            {
                var r = 0;
                for (; r + 8 <= count; r += 8)
                {
                    var x0 = x + (long)r * columns;
                    var x1 = x0 + columns;
                    var x2 = x1 + columns;
                    var x3 = x2 + columns;
                    var x4 = x3 + columns;
                    var x5 = x4 + columns;
                    var x6 = x5 + columns;
                    var x7 = x6 + columns;
                    int a0 = root, a1 = root, a2 = root, a3 = root, a4 = root, a5 = root, a6 = root, a7 = root;
                    while (true)
                    {
                        var b0 = Step(n, a0, x0);
                        var b1 = Step(n, a1, x1);
                        var b2 = Step(n, a2, x2);
                        var b3 = Step(n, a3, x3);
                        var b4 = Step(n, a4, x4);
                        var b5 = Step(n, a5, x5);
                        var b6 = Step(n, a6, x6);
                        var b7 = Step(n, a7, x7);
                        if (((b0 ^ a0) | (b1 ^ a1) | (b2 ^ a2) | (b3 ^ a3) | (b4 ^ a4) | (b5 ^ a5) | (b6 ^ a6) | (b7 ^ a7)) == 0)
                        {
                            break; // all eight at their leaves
                        }
                        (a0, a1, a2, a3, a4, a5, a6, a7) = (b0, b1, b2, b3, b4, b5, b6, b7);
                    }
                    sums[r] += leaf[a0];
                    sums[r + 1] += leaf[a1];
                    sums[r + 2] += leaf[a2];
                    sums[r + 3] += leaf[a3];
                    sums[r + 4] += leaf[a4];
                    sums[r + 5] += leaf[a5];
                    sums[r + 6] += leaf[a6];
                    sums[r + 7] += leaf[a7];
                }
                for (; r < count; r++)
                {
                    var row = x + (long)r * columns;
                    var a = root;
                    for (var next = Step(n, a, row); next != a; next = Step(n, a, row))
                    {
                        a = next;
                    }
                    sums[r] += leaf[a];
                }
            }
            if (sigmoid is { } s)
            {
                for (var r = 0; r < count; r++)
                {
                    sums[r] = 1.0 / (1.0 + Math.Exp(-s * sums[r]));
                }
            }
        }
    }

    /// <summary>One step of LightGBM's numerical decision: the child the row goes to (a leaf returns itself).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Step(Node* nodes, int index, float* row)
    {
        var node = nodes + index;
        var featureFlags = node->FeatureFlags;
        var v = row[featureFlags >> 3];
        // v <= threshold is false for NaN: NaN goes left only where its flag says so.
        var left = (v <= node->Threshold ? 1 : 0) | ((float.IsNaN(v) ? 1 : 0) & featureFlags & NanLeft);
        if ((featureFlags & ZeroMissing) != 0 && v == 0)
        {
            left = (featureFlags >> 2) & 1;
        }
        return (&node->Right)[left];
    }

    /// <summary>The largest float not above <paramref name="threshold"/>.</summary>
    private static float FloatAtMost(double threshold)
    {
        var f = (float)threshold;
        return f > threshold ? MathF.BitDecrement(f) : f;
    }

    private static double Number(string text) => text switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static double[] Numbers(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Number).ToArray();

    private static int[] Integers(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
}
