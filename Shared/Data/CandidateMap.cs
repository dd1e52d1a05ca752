namespace HmRec.Shared.Data;

/// <summary>
/// MAP@12 over candidate groups (one user in one week), the models' early-stopping metric: each group's
/// candidates ranked by score (ties by item), the precision at each of the first 12 ranks that holds a
/// positive label, summed and divided by min(items bought, 12). Given <c>bought</c>, the number of items
/// each group's user bought in the week (candidates or not), this is the competition's MAP@12 over the
/// buyers who have candidates, as the evaluation computes it before filling short lists; without it, the
/// positives among the candidates stand in for the purchases and only groups with one count.
/// </summary>
public static class CandidateMap
{
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, ReadOnlySpan<int> items, ReadOnlySpan<uint> groups, ReadOnlySpan<int> bought = default) =>
        Compute<float>(scores, labels, items, groups, bought);

    /// <summary><see cref="Compute(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{uint}, ReadOnlySpan{int})"/> for double scores (LightGBM's).</summary>
    public static double Compute(ReadOnlySpan<double> scores, ReadOnlySpan<float> labels, ReadOnlySpan<int> items, ReadOnlySpan<uint> groups, ReadOnlySpan<int> bought = default) =>
        Compute<double>(scores, labels, items, groups, bought);

    private static double Compute<T>(ReadOnlySpan<T> scores, ReadOnlySpan<float> labels, ReadOnlySpan<int> items, ReadOnlySpan<uint> groups, ReadOnlySpan<int> bought)
        where T : struct, IComparable<T>
    {
        if (!bought.IsEmpty && bought.Length != groups.Length)
        {
            throw new ArgumentException($"{bought.Length} purchase counts were given for {groups.Length} groups.", nameof(bought));
        }
        double total = 0;
        var counted = 0;
        var start = 0;
        var order = new List<int>();
        var byScore = new RowOrder<T>();
        for (var g = 0; g < groups.Length; g++)
        {
            var size = (int)groups[g];
            var positives = 0;
            for (var r = start; r < start + size; r++)
            {
                positives += labels[r] > 0 ? 1 : 0;
            }
            var denominator = bought.IsEmpty ? positives : bought[g];
            if (denominator > 0)
            {
                counted++;
            }
            if (positives > 0 && denominator > 0)
            {
                order.Clear();
                for (var r = start; r < start + size; r++)
                {
                    order.Add(r);
                }
                byScore.Scores = scores.Slice(start, size).ToArray();
                byScore.Items = items.Slice(start, size).ToArray();
                byScore.Start = start;
                order.Sort(byScore);
                double hits = 0, precision = 0;
                for (var k = 0; k < Math.Min(12, order.Count); k++)
                {
                    if (labels[order[k]] > 0)
                    {
                        hits++;
                        precision += hits / (k + 1);
                    }
                }
                total += precision / Math.Min(denominator, 12);
            }
            start += size;
        }
        if (start != scores.Length || start != labels.Length || start != items.Length)
        {
            throw new ArgumentException($"The groups cover {start} rows; {scores.Length} scores, {labels.Length} labels and {items.Length} items were given.");
        }
        return counted == 0 ? 0 : total / counted;
    }

    /// <summary>
    /// For each group, how many distinct items its user bought, from <paramref name="labels"/>, a parquet file
    /// of the groups' week's purchases (<c>customer_idx, article_idx</c>); 0 for users who bought nothing.
    /// </summary>
    public static int[] PurchasesPerGroup(DuckDBConnection connection, string labels, ReadOnlySpan<int> users, ReadOnlySpan<uint> groups)
    {
        if (!File.Exists(labels))
        {
            throw new InputDataException(labels, null, null, "the purchases file does not exist; expected a parquet file of customer_idx, article_idx");
        }
        var counts = new Dictionary<int, int>();
        using (var result = connection.Query("SELECT customer_idx::INTEGER AS customer_idx, count(DISTINCT article_idx)::INTEGER AS n FROM read_parquet(?) GROUP BY 1", labels))
        {
            var rows = result.ReadAll();
            var customers = rows.Get<int>("customer_idx").Values;
            var n = rows.Get<int>("n").Values;
            for (var i = 0; i < customers.Length; i++)
            {
                counts[customers[i]] = n[i];
            }
        }
        var bought = new int[groups.Length];
        var start = 0;
        for (var g = 0; g < groups.Length; g++)
        {
            bought[g] = counts.GetValueOrDefault(users[start]);
            start += (int)groups[g];
        }
        return bought;
    }

    /// <summary>Rows of one group by score, highest first, then by item.</summary>
    private sealed class RowOrder<T> : IComparer<int>
        where T : struct, IComparable<T>
    {
        public T[] Scores = [];
        public int[] Items = [];
        public int Start;

        public int Compare(int a, int b)
        {
            var c = Scores[b - Start].CompareTo(Scores[a - Start]);
            return c != 0 ? c : Items[a - Start].CompareTo(Items[b - Start]);
        }
    }
}
