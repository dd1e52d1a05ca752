namespace HmRec.Shared.Tests.Synthetic;

/// <summary>Each shape knob, turned on a small real generation, moves the statistic it is meant to move.</summary>
public sealed class SyntheticKnobTests
{
    private static readonly SyntheticOptions Small = new(4_000, 2_000, Seed: 17);

    [Fact]
    public void Generate_HigherPopularityConcentration_RaisesTopTwelveShare()
    {
        var flat = Measure(Small with { PopularityConcentration = 0.35 });
        var original = Measure(Small);
        var peaked = Measure(Small with { PopularityConcentration = 2 });
        Assert.True(flat.TopTwelveShare < original.TopTwelveShare, $"top-12 share {flat.TopTwelveShare:P2} at 0.35 vs {original.TopTwelveShare:P2} at 1");
        Assert.True(original.TopTwelveShare < peaked.TopTwelveShare, $"top-12 share {original.TopTwelveShare:P2} at 1 vs {peaked.TopTwelveShare:P2} at 2");
        Assert.Equal(original.Transactions, peaked.Transactions);
    }

    [Fact]
    public void Generate_LongerRepurchaseHorizon_LengthensRepeatGap()
    {
        var original = Measure(Small);
        var longer = Measure(Small with { RepurchaseHorizonDays = 90 });
        Assert.True(longer.MedianRepeatGapDays > original.MedianRepeatGapDays + 10,
            $"median repeat gap {original.MedianRepeatGapDays} days with no wait vs {longer.MedianRepeatGapDays} with a 90-day horizon");
    }

    [Fact]
    public void Generate_HigherActivityDispersion_ConcentratesRowsOnFewerBuyers()
    {
        var even = Measure(Small with { ActivityDispersion = 0.7 });
        var original = Measure(Small);
        var uneven = Measure(Small with { ActivityDispersion = 2 });
        Assert.True(even.TopDecileBuyerShare < original.TopDecileBuyerShare, $"top-decile buyers' share {even.TopDecileBuyerShare:P1} at 0.7 vs {original.TopDecileBuyerShare:P1} at 1.38");
        Assert.True(original.TopDecileBuyerShare < uneven.TopDecileBuyerShare, $"top-decile buyers' share {original.TopDecileBuyerShare:P1} at 1.38 vs {uneven.TopDecileBuyerShare:P1} at 2");
        // The total is fixed, so more unequal activity leaves the typical buyer with fewer rows.
        Assert.True(uneven.MedianRowsPerBuyer < even.MedianRowsPerBuyer);
    }

    [Fact]
    public void Generate_LowerSectionLoyalty_SpreadsABuyersRowsOverMoreSections()
    {
        var loose = Measure(Small with { SectionLoyalty = 0.2 });
        var original = Measure(Small);
        Assert.True(loose.MedianTopSectionShare < original.MedianTopSectionShare - 0.03,
            $"median top-section share {loose.MedianTopSectionShare:P1} at 0.2 vs {original.MedianTopSectionShare:P1} at 0.8");
    }

    [Fact]
    public void Generate_HigherRepurchasePropensity_MoreArticlesBoughtAgain()
    {
        // With a repurchase horizon a repurchase falls on another day, which the statistic counts.
        var original = Measure(Small with { RepurchaseHorizonDays = 60 });
        var twice = Measure(Small with { RepurchaseHorizonDays = 60, RepurchasePropensity = 2 });
        Assert.True(twice.RepeatPurchaseShare > original.RepeatPurchaseShare * 1.1,
            $"pairs bought on 2+ days {original.RepeatPurchaseShare:P1} at 1 vs {twice.RepeatPurchaseShare:P1} at 2");
        Assert.Equal(original.Transactions, twice.Transactions);
    }

    [Fact]
    public void Generate_FasterCatalogueTurnover_ShortensSellingLife()
    {
        var slow = Measure(Small with { CatalogueTurnover = 0.5 });
        var original = Measure(Small);
        var fast = Measure(Small with { CatalogueTurnover = 2.5 });
        Assert.True(slow.MedianSellingLifeDays > original.MedianSellingLifeDays, $"selling life {slow.MedianSellingLifeDays} days at 0.5 vs {original.MedianSellingLifeDays} at 1");
        Assert.True(original.MedianSellingLifeDays > fast.MedianSellingLifeDays, $"selling life {original.MedianSellingLifeDays} days at 1 vs {fast.MedianSellingLifeDays} at 2.5");
    }

    [Fact]
    public void Generate_RealisticProfile_SpreadsSalesLikeTheRealData()
    {
        // The top-12 share depends on the catalogue's size; the profile is calibrated at 8k articles.
        var options = new SyntheticOptions(10_000, 8_000, Seed: 23);
        var original = Measure(options);
        var realistic = Measure(options.WithProfile(SyntheticProfile.Realistic));
        Assert.True(realistic.TopTwelveShare < 0.03, $"top-12 share {realistic.TopTwelveShare:P2}");
        Assert.True(original.TopTwelveShare > 0.04, $"top-12 share {original.TopTwelveShare:P2} by default");
        Assert.True(realistic.MedianRepeatGapDays > original.MedianRepeatGapDays, $"median repeat gap {realistic.MedianRepeatGapDays} vs {original.MedianRepeatGapDays} days");
        // What the original generator was calibrated to stays as it was.
        Assert.Equal(original.MedianRowsPerBuyer, realistic.MedianRowsPerBuyer);
        Assert.Equal(original.LastWeekBuyerShare, realistic.LastWeekBuyerShare);
        Assert.InRange(realistic.DuplicateRowShare, 0.07, 0.12);
    }

    private static DatasetStatistics Measure(SyntheticOptions options)
    {
        using var directory = Generate(options);
        return DatasetStatistics.Measure(directory);
    }

    private static TempFolder Generate(SyntheticOptions options)
    {
        var directory = new TempFolder("knob");
        SyntheticDataGenerator.Generate(options, directory);
        return directory;
    }
}
