namespace HmRec.Shared.Tests.Synthetic;

public sealed class SyntheticOptionsTests
{
    public static TheoryData<SyntheticOptions, string> BadKnobs => new()
    {
        { SyntheticOptions.Default with { PopularityConcentration = -0.1 }, "--popularity-concentration must be between 0 and 3 (got -0.1)." },
        { SyntheticOptions.Default with { PopularityConcentration = double.NaN }, "--popularity-concentration must be between 0 and 3 (got NaN)." },
        { SyntheticOptions.Default with { RepurchaseHorizonDays = 400 }, "--repurchase-horizon-days must be between 0 and 365 (got 400)." },
        { SyntheticOptions.Default with { ActivityDispersion = 3 }, "--activity-dispersion must be between 0 and 2.5 (got 3)." },
        { SyntheticOptions.Default with { CatalogueTurnover = 0 }, "--catalogue-turnover must be between 0.25 and 4 (got 0)." },
        { SyntheticOptions.Default with { CatalogueTurnover = double.PositiveInfinity }, "--catalogue-turnover must be between 0.25 and 4 (got Infinity)." },
        { SyntheticOptions.Default with { SectionLoyalty = 1.5 }, "--section-loyalty must be between 0 and 1 (got 1.5)." },
        { SyntheticOptions.Default with { RepurchasePropensity = -1 }, "--repurchase-propensity must be between 0 and 3 (got -1)." },
        { SyntheticOptions.Default with { LongRepurchaseShare = 1.5 }, "--long-repurchase-share must be between 0 and 1 (got 1.5)." },
        { SyntheticOptions.Default with { SeasonalRepurchaseShare = -0.1 }, "--seasonal-repurchase-share must be between 0 and 1 (got -0.1)." },
        { SyntheticOptions.Default with { LongRepurchaseShare = 0.7, SeasonalRepurchaseShare = 0.4 }, "--long-repurchase-share plus --seasonal-repurchase-share must be at most 1 (got 0.7 + 0.4)." },
    };

    [Theory]
    [MemberData(nameof(BadKnobs))]
    public void Validate_BadKnob_NamesTheFlagAndTheRange(SyntheticOptions options, string expected)
    {
        Assert.Equal(expected, Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void Validate_KnobsAtTheirLimits_Passes()
    {
        (SyntheticOptions.Default with { PopularityConcentration = 0, RepurchaseHorizonDays = 0, ActivityDispersion = 0, CatalogueTurnover = 0.25 }).Validate();
        (SyntheticOptions.Default with { PopularityConcentration = 3, RepurchaseHorizonDays = 365, ActivityDispersion = 2.5, CatalogueTurnover = 4 }).Validate();
    }
}
