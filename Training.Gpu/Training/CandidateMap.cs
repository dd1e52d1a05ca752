namespace HmRec.Training.Gpu.Training;

/// <summary>
/// MAP@12 over candidate groups (one user in one week): each group's candidates ranked by score (ties by
/// item), average precision at 12 against the group's positive labels, averaged over the groups that have
/// one. This is the early-stopping metric; the evaluation stage computes the competition's MAP@12.
/// </summary>
public static class CandidateMap
{
    public static double Compute(float[] scores, float[] labels, int[] items, uint[] groups)
    {
        double total = 0;
        var counted = 0;
        var start = 0;
        var order = new List<int>();
        foreach (var size in groups)
        {
            var positives = 0;
            for (var r = start; r < start + size; r++)
            {
                positives += labels[r] > 0 ? 1 : 0;
            }
            if (positives > 0)
            {
                order.Clear();
                for (var r = start; r < start + (int)size; r++)
                {
                    order.Add(r);
                }
                order.Sort((a, b) => scores[b].CompareTo(scores[a]) is var c && c != 0 ? c : items[a].CompareTo(items[b]));
                double hits = 0, precision = 0;
                for (var k = 0; k < Math.Min(12, order.Count); k++)
                {
                    if (labels[order[k]] > 0)
                    {
                        hits++;
                        precision += hits / (k + 1);
                    }
                }
                total += precision / Math.Min(positives, 12);
                counted++;
            }
            start += (int)size;
        }
        return counted == 0 ? 0 : total / counted;
    }
}
