namespace HmRec.Shared.Tests.Synthetic;

public sealed class SyntheticProfileTests
{
    [Fact]
    public void Default_Knobs_AreTheOptionsDefaults()
    {
        var options = new SyntheticOptions(1_000, 500);
        Assert.Equal(SyntheticProfile.Classic, options.Profile);
        Assert.Equal(options, options.WithProfile(SyntheticProfile.Classic));
    }

    [Fact]
    public void WithProfile_Name_KeepsSizesAndSeedAndSetsTheKnobs()
    {
        var options = new SyntheticOptions(1_000, 500, 30_000, Seed: 9).WithProfile("Realistic");
        Assert.Equal((1_000, 500, 30_000L, 9UL), (options.Customers, options.Articles, options.Transactions!.Value, options.Seed));
        Assert.Equal(SyntheticProfile.Realistic, options.Profile);
        Assert.Equal("custom", (options with { CatalogueTurnover = 2 }).Profile.Name);
        options.Validate();
    }

    [Fact]
    public void WithProfile_UnknownName_NamesTheOptionAndTheProfiles()
    {
        var message = Assert.Throws<ArgumentException>(() => SyntheticOptions.Default.WithProfile("retro")).Message;
        Assert.Equal("--profile must be one of hm, long-cycle, realistic, classic (got 'retro').", message);
    }

    [Fact]
    public void WithProfile_RepurchaseProfiles_SetTheLongAndSeasonalShares()
    {
        var hm = SyntheticOptions.Default.WithProfile("HM");
        Assert.Equal(SyntheticProfile.Hm, hm.Profile);
        Assert.True(hm.LongRepurchaseShare > 0 && hm.SeasonalRepurchaseShare > 0);
        var longCycle = SyntheticOptions.Default.WithProfile("long-cycle");
        Assert.Equal(SyntheticProfile.LongCycle, longCycle.Profile);
        Assert.True(longCycle.LongRepurchaseShare + longCycle.SeasonalRepurchaseShare > hm.LongRepurchaseShare + hm.SeasonalRepurchaseShare);
        // The earlier profiles keep the original repurchase model.
        Assert.All(new[] { SyntheticProfile.Classic, SyntheticProfile.Realistic }, p => Assert.Equal((0.0, 0.0), (p.LongRepurchaseShare, p.SeasonalRepurchaseShare)));
    }

    [Fact]
    public void Named_Profiles_AreValid()
    {
        foreach (var profile in SyntheticProfile.Named)
        {
            SyntheticOptions.Default.WithProfile(profile).Validate();
        }
    }
}
