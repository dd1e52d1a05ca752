namespace HmRec.Activities.Tests.Evaluation;

/// <summary>The early-stopping metric against the evaluation's MAP@12.</summary>
public sealed class CandidateMapTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void WithPurchaseCounts_EqualsTheEvaluationsMap12_OverBuyersWithCandidates(int seed)
    {
        var random = new Random(seed);
        var users = new List<int>();
        var items = new List<int>();
        var scores = new List<float>();
        var labels = new List<float>();
        var groups = new List<uint>();
        var counts = new List<int>();
        var bought = new Dictionary<int, HashSet<int>>();
        for (var user = 0; user < 300; user++)
        {
            var size = random.Next(1, 40);
            var candidates = Enumerable.Range(0, 200).OrderBy(_ => random.Next()).Take(size).ToArray();
            // Some users buy nothing; buyers buy some candidates and some items outside them.
            var purchases = random.Next(3) == 0 ? [] : candidates.Where(_ => random.Next(6) == 0).Concat(Enumerable.Range(500, random.Next(0, 16))).ToHashSet();
            if (purchases.Count > 0)
            {
                bought[user] = purchases;
            }
            foreach (var item in candidates)
            {
                users.Add(user);
                items.Add(item);
                scores.Add(random.Next(10) / 10f); // ties, broken by item
                labels.Add(purchases.Contains(item) ? 1 : 0);
            }
            groups.Add((uint)size);
            counts.Add(purchases.Count);
        }

        var map = CandidateMap.Compute([.. scores], [.. labels], [.. items], [.. groups], [.. counts]);

        var ranked = RankingMetrics.Rank([.. users], [.. items], [.. scores]);
        var expected = RankingMetrics.Evaluate(ranked, bought).Map12;
        Assert.Equal(expected, map, 12);
        Assert.InRange(map, 0.01, 0.99);
    }

    [Fact]
    public void WithoutPurchaseCounts_PositivesStandIn_AndGroupsWithoutOneAreLeftOut()
    {
        // Group 1: positives at ranks 1 and 3 of 4 candidates: (1 + 2/3) / 2. Group 2: no positive.
        float[] scores = [0.9f, 0.5f, 0.7f, 0.1f, 0.3f, 0.2f];
        float[] labels = [1, 1, 0, 0, 0, 0];
        int[] items = [1, 2, 3, 4, 5, 6];
        uint[] groups = [4, 2];
        Assert.Equal((1 + 2.0 / 3) / 2, CandidateMap.Compute(scores, labels, items, groups), 12);
        // With counts: group 1's user bought 5 items (3 outside the candidates), group 2's user bought 1.
        Assert.Equal(((1 + 2.0 / 3) / 5 + 0) / 2, CandidateMap.Compute(scores, labels, items, groups, [5, 1]), 12);
        // A user who bought nothing is not averaged in.
        Assert.Equal((1 + 2.0 / 3) / 5, CandidateMap.Compute(scores, labels, items, groups, [5, 0]), 12);
        Assert.Throws<ArgumentException>(() => CandidateMap.Compute(scores, labels, items, groups, [5]));
        Assert.Throws<ArgumentException>(() => CandidateMap.Compute(scores, labels, items, [4, 1]));
    }
}
