namespace HmRec.Activities.Tests.Recall;

/// <summary>Each strategy on hand-made data whose right answer is computed here by hand.</summary>
public sealed class RecallStrategyTests : IDisposable
{
    private readonly TinyData data = new();

    public void Dispose() => data.Dispose();

    private static double Half(double days, double halfLife) => Math.Pow(2, -days / halfLife);

    private void Run()
    {
        data.Ingest();
        TinyData.RunWeek(data.RunDirectory, TinyData.Options, TinyData.Validation);
    }

    [Fact]
    public void Repurchase_ScoresOwnItemsByDecayedFrequency_OverTheWholeHistory()
    {
        data.Buy("u", 1, 1).Buy("u", 2, 10).Buy("u", 2, 10).Buy("u", 3, 400) // 400 days back still counts
            .Buy("u", 9, -2); // the label purchase that makes u a target of the week
        Run();

        var got = data.Candidates(RecallStrategies.Repurchase, "u");
        Assert.Equal([2L, 1L, 3L], got.Select(c => c.Article));
        Assert.Equal(2 * Half(10, 30), got[0].Score, 9);
        Assert.Equal(Half(1, 30), got[1].Score, 9);
        Assert.Equal(Half(400, 30), got[2].Score, 12);
    }

    [Fact]
    public void Repurchase_KeepsTheLatestItems_BeyondTopN()
    {
        data.Buy("u", 2, 10).Buy("u", 2, 10).Buy("u", 2, 10) // the best score
            .Buy("u", 4, 30).Buy("u", 4, 31).Buy("u", 4, 32) // second best score, but not among the two latest
            .Buy("u", 1, 5).Buy("u", 3, 1) // the two latest
            .Buy("u", 9, -2);
        var options = TinyData.Options with
        {
            Recall = TinyData.Options.Recall with { Repurchase = new RepurchaseOptions { TopN = 1, KeepRecent = 2 } },
        };
        data.Ingest(options);
        TinyData.RunWeek(data.RunDirectory, options, TinyData.Validation);

        Assert.Equal([2L, 3L, 1L], data.Candidates(RecallStrategies.Repurchase, "u").Select(c => c.Article));
    }

    [Fact]
    public void SameCode_ProposesTheOtherArticlesOfBoughtProductCodes_ByTheirShareOfRecentSales()
    {
        data.Buy("u", 1001, 10).Buy("u", 9, -2) // u bought product 1 (article 1001)
            .Buy("a", 1002, 5).Buy("b", 1002, 5).Buy("c", 1002, 5).Buy("a", 1003, 5) // product 1's other colours
            .Buy("a", 2001, 5).Buy("b", 2001, 5); // another product
        Run();

        var got = data.Candidates(RecallStrategies.SameCode, "u");
        Assert.Equal([1002L, 1003L], got.Select(c => c.Article));
        // Shares within product 1 over 21 days, plus one each: 1001 (1+1), 1002 (3+1), 1003 (1+1) of 8.
        Assert.Equal(Half(10, 60) * 4 / 8, got[0].Score, 9);
        Assert.Equal(Half(10, 60) * 2 / 8, got[1].Score, 9);
    }

    [Fact]
    public void BestSellers_AreLastWeeksMostSoldItems_ForEveryTarget()
    {
        data.Buy("a", 1, 1).Buy("b", 1, 2).Buy("c", 1, 3).Buy("a", 2, 2).Buy("b", 2, 4).Buy("c", 3, 5)
            .Buy("d", 4, 10).Buy("d", 4, 10).Buy("d", 4, 10).Buy("d", 4, 10) // more sales, but before the last week
            .Buy("u", 9, -1);
        Run();

        var got = data.Candidates(RecallStrategies.BestSellers, "u");
        Assert.Equal([1L, 2L, 3L], got.Select(c => c.Article));
        Assert.Equal([3.0, 2.0, 1.0], got.Select(c => c.Score));
    }

    [Fact]
    public void Popularity_CombinesDecayedSalesBuyersAndTrend_ForEveryTarget()
    {
        data.Buy("a", 1, 1).Buy("b", 1, 1).Buy("c", 1, 1) // three buyers yesterday: trend capped at 2
            .Buy("d", 2, 20).Buy("d", 2, 20).Buy("d", 2, 20).Buy("d", 2, 20).Buy("d", 2, 20) // five sales, one buyer, 20 days ago
            .Buy("e", 3, 40) // outside the 28-day window
            .Buy("u", 9, -1);
        Run();

        var got = data.Candidates(RecallStrategies.Popularity, "u");
        Assert.Equal([1L, 2L], got.Select(c => c.Article));
        Assert.Equal((3 * Half(1, 7) + 3 * Half(1, 7)) / 2 * 2.0, got[0].Score, 9);
        Assert.Equal((5 * Half(20, 7) + Half(20, 7)) / 2 * 1.0, got[1].Score, 9);
        // Everyone gets the same list.
        Assert.Equal(got, data.Candidates(RecallStrategies.Popularity, "zz-anchor"));
    }

    [Fact]
    public void CoPurchase_ExpandsRecentItemsThroughBasketJaccard()
    {
        foreach (var p in new[] { "p1", "p2", "p3" })
        {
            data.Buy(p, 1, 3).Buy(p, 2, 2); // 1 and 2 in the same week's basket
        }
        data.Buy("p4", 1, 3).Buy("p4", 3, 3).Buy("p5", 3, 3);
        data.Buy("u", 1, 1).Buy("u", 9, -1);
        Run();

        // Baskets holding 1: p1..p4 and u = 5; holding 2: 3; holding 3: 2; together (1,2): 3, (1,3): 1.
        var got = data.Candidates(RecallStrategies.CoPurchase, "u");
        Assert.Equal([2L, 3L], got.Select(c => c.Article));
        Assert.Equal(3.0 / (5 + 3 - 3) * Half(1, 14), got[0].Score, 9);
        Assert.Equal(1.0 / (5 + 2 - 1) * Half(1, 14), got[1].Score, 9);
    }

    [Fact]
    public void UserKnn_RecommendsWhatTheMostSimilarUsersBought()
    {
        data.Buy("u", 1, 10).Buy("u", 2, 10).Buy("u", 9, -1);
        data.Buy("v", 1, 10).Buy("v", 2, 10).Buy("v", 3, 3); // shares both of u's items
        data.Buy("w", 1, 10).Buy("w", 4, 2); // shares one
        Run();

        var simV = 2 / Math.Sqrt(2 * 3);
        var simW = 1 / Math.Sqrt(2 * 2);
        var got = data.Candidates(RecallStrategies.UserKnn, "u").ToDictionary(c => c.Article, c => c.Score);
        Assert.Equal(simV * Half(3, 14), got[3], 9);
        Assert.Equal(simW * Half(2, 14), got[4], 9);
        Assert.Equal((simV + simW) * Half(10, 14), got[1], 9);
        Assert.True(got[3] > got[4]);
    }

    [Fact]
    public void Category_AtTheProductTypeLevel_WeightsPopularItemsOfTheUsersPreferredTypes()
    {
        data.Article(11, "Trousers", 1).Article(12, "Trousers", 1).Article(13, "Trousers", 1).Article(14, "Trousers", 1).Article(21, "Dress", 2);
        data.Buy("u", 11, 1).Buy("u", 12, 1).Buy("u", 13, 1).Buy("u", 21, 1).Buy("u", 99, -1);
        data.Buy("o", 14, 1).Buy("o", 14, 1).Buy("o", 14, 1);
        var options = TinyData.Options with { Recall = TinyData.Options.Recall with { Category = new CategoryOptions { Level = "product_type" } } };
        data.Ingest(options);
        TinyData.RunWeek(data.RunDirectory, options, TinyData.Validation);

        // u's preference: trousers 3/4, dresses 1/4. Each item's share of its type's sales: 14 sold 3 of the trousers' 6,
        // 11-13 one each; 21 is the only dress sold. The score is the preference times the share.
        var got = data.Candidates(RecallStrategies.Category, "u").ToDictionary(c => c.Article, c => c.Score);
        Assert.Equal(0.75 * 3 / 6, got[14], 9);
        Assert.Equal(0.75 / 6, got[11], 9);
        Assert.Equal(0.25, got[21], 9);
        Assert.Equal(14L, data.Candidates(RecallStrategies.Category, "u")[0].Article);
    }

    [Fact]
    public void Category_AtTheSectionLevel_ByDefault_WeightsPopularItemsOfTheUsersSections()
    {
        data.Article(11, section: 5).Article(12, section: 5).Article(13, section: 5).Article(21, section: 6).Article(31, section: 7);
        data.Buy("u", 11, 1).Buy("u", 12, 1).Buy("u", 21, 1).Buy("u", 99, -1);
        data.Buy("o", 13, 1).Buy("o", 13, 1).Buy("o", 13, 1).Buy("o", 31, 1).Buy("o", 31, 1).Buy("o", 31, 1).Buy("o", 31, 1);
        Run();

        // u's sections: 5 (2 of 3 purchases), 6 (1 of 3). Section 5 sold 5 items: 13 three of them, 11 and 12 one each.
        var got = data.Candidates(RecallStrategies.Category, "u").ToDictionary(c => c.Article, c => c.Score);
        Assert.Equal(2.0 / 3 * 3 / 5, got[13], 9);
        Assert.Equal(2.0 / 3 / 5, got[11], 9);
        Assert.Equal(1.0 / 3, got[21], 9);
        Assert.False(got.ContainsKey(31)); // the best seller of a section u never bought from
    }

    [Fact]
    public void Category_RanksASectionsItemsByTheirShareOfLastWeeksSales_RecentDaysCountingMost()
    {
        data.Article(41, section: 5).Article(42, section: 5).Article(43, section: 5).Article(44, section: 5);
        data.Buy("u", 44, 20).Buy("u", 99, -1);
        data.Buy("o", 41, 10).Buy("o", 41, 10).Buy("o", 41, 10).Buy("o", 41, 10).Buy("o", 41, 10);
        data.Buy("o", 42, 1).Buy("o", 43, 5).Buy("o", 43, 5);
        Run();

        // Only the 7 days before the cutoff rank items (41's five sales and 44's one are older); a sale 3 days older
        // counts half, so 42's one sale of yesterday outweighs 43's two of 5 days ago. u's only section: preference 1.
        var (w42, w43) = (Half(1, 3), 2 * Half(5, 3));
        var got = data.Candidates(RecallStrategies.Category, "u");
        Assert.Equal([42L, 43L], got.Select(c => c.Article));
        Assert.Equal(w42 / (w42 + w43), got[0].Score, 9);
        Assert.Equal(w43 / (w42 + w43), got[1].Score, 9);
    }

    [Fact]
    public void Text_RanksItemsWithSimilarDescriptionsFirst()
    {
        data.Article(1, "Dress", 1, "Long summer dress in airy floral cotton with thin straps", "Yellow")
            .Article(2, "Dress", 1, "Short summer dress in floral viscose with straps", "Yellow")
            .Article(3, "Boots", 2, "Leather winter boots with warm lining and chunky heels", "Black");
        data.Buy("u", 1, 5).Buy("u", 9, -1);
        data.Buy("o", 2, 2).Buy("o", 3, 2).Buy("o", 1, 2);
        Run();

        var got = data.Candidates(RecallStrategies.Text, "u");
        var score = got.ToDictionary(c => c.Article, c => c.Score);
        Assert.Equal(1.0, score[1], 5); // the item itself: cosine 1
        Assert.True(score[2] > score[3], $"similar dress {score[2]} should beat the boots {score[3]}");
        Assert.All(got, c => Assert.InRange(c.Score, -1.0001, 1.0001));
    }
}
