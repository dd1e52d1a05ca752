using System.ComponentModel.DataAnnotations;
using HmRec.Shared.Options;

namespace HmRec.Shared.Synthetic;

/// <summary>Size, seed and shape of a generated H&amp;M-schema dataset.</summary>
/// <param name="Customers">Rows of customers.csv.</param>
/// <param name="Articles">Rows of articles.csv.</param>
/// <param name="Transactions">Rows of transactions_train.csv; null scales the real ratio of rows per customer.</param>
/// <param name="Seed">Everything generated is a function of this seed, the sizes and the shape knobs.</param>
/// <remarks>
/// The shape knobs (<see cref="PopularityConcentration"/>, <see cref="RepurchaseHorizonDays"/>,
/// <see cref="ActivityDispersion"/>, <see cref="CatalogueTurnover"/> and the others below) are what varies between retailers; their
/// defaults (<see cref="SyntheticProfile.Classic"/>) reproduce the generator's original output byte for byte.
/// </remarks>
public sealed record SyntheticOptions([property: Range(100, 20_000_000)] int Customers, [property: Range(50, 2_000_000)] int Articles, long? Transactions = null, ulong Seed = 42)
    : IValidatableObject
{
    /// <summary>First day of the real data.</summary>
    public static readonly DateOnly FirstDay = new(2018, 9, 20);

    /// <summary>Last day of the real data.</summary>
    public static readonly DateOnly LastDay = new(2020, 9, 22);

    /// <summary>The real file sizes.</summary>
    public static readonly SyntheticOptions Full = new(1_371_980, 105_542, 31_788_324);

    /// <summary>The default: small enough to run through the whole pipeline quickly on a small machine.</summary>
    public static readonly SyntheticOptions Default = new(20_000, 6_000);

    /// <summary>
    /// How strongly sales pile onto a few hit articles: the exponent c on an article's appeal (its product's
    /// popularity × its colour's share), with long-selling basics weighed down by their selling time to the power
    /// c - 1. 1 = the original generator; 0 = every article the same expected sales over its life; above 1 = bigger
    /// hits. The share of the 12 best sellers also grows as the catalogue shrinks, so the value that gives the real
    /// data's share (1.1 %) is lower for a small catalogue than for the real one.
    /// CLI: <c>--popularity-concentration</c>, 0 to 3.
    /// </summary>
    [Range(0d, 3d)] public double PopularityConcentration { get; init; } = SyntheticProfile.Classic.PopularityConcentration;

    /// <summary>
    /// Mean days a customer waits after buying an article before buying that same article again, by repurchase or by
    /// chance. 0 = no wait, the original generator: a repurchase is any of the customer's last 8 articles, so it
    /// mostly comes within a session or two. Above 0 each purchase draws a wait (gamma, shape 2, this mean), the
    /// customer remembers 24 articles (24 × 6 bytes per customer) and repurchases only what is still on sale. The
    /// median gap between repeat purchases grows with it, less than in proportion. With <see cref="LongRepurchaseShare"/>
    /// or <see cref="SeasonalRepurchaseShare"/> above 0, only the other purchases draw this wait.
    /// CLI: <c>--repurchase-horizon-days</c>, 0 to 365.
    /// </summary>
    [Range(0d, 365d)] public double RepurchaseHorizonDays { get; init; } = SyntheticProfile.Classic.RepurchaseHorizonDays;

    /// <summary>
    /// How unequal customers' purchase counts are: the standard deviation of the log of a customer's activity rate
    /// (1.38 = the original generator, aimed at the real data's median 9 and mean 23 rows per buyer; 0 = every buyer
    /// equally active). The total of rows is fixed, so a higher value also lowers the median rows per buyer.
    /// CLI: <c>--activity-dispersion</c>, 0 to 2.5.
    /// </summary>
    [Range(0d, 2.5)] public double ActivityDispersion { get; init; } = SyntheticProfile.Classic.ActivityDispersion;

    /// <summary>
    /// How fast articles enter and leave sale: every product's rise and decay times are divided by this (1 = the
    /// original generator; 2 = twice as fast). The median days from an article's first to last sale fall less, as
    /// basics and sparse sales stretch them. Faster turnover leaves fewer articles on sale at a time, so sales
    /// concentrate a little more. CLI: <c>--catalogue-turnover</c>, 0.25 to 4.
    /// </summary>
    [Range(0.25, 4d)] public double CatalogueTurnover { get; init; } = SyntheticProfile.Classic.CatalogueTurnover;

    /// <summary>
    /// How faithful customers are to their favourite sections: the share of new (not repurchased, not matching)
    /// picks drawn from the customer's favourite sections; the rest come from sections typical of the customer's
    /// age. 0.8 = the original generator; lower values leave less personal taste for a recommender to learn.
    /// CLI: <c>--section-loyalty</c>, 0 to 1.
    /// </summary>
    [Range(0d, 1d)] public double SectionLoyalty { get; init; } = SyntheticProfile.Classic.SectionLoyalty;

    /// <summary>
    /// How often customers buy an article they bought before: multiplies each customer's chance that a pick is a
    /// repurchase (drawn between 0.03 and 0.33; capped at 0.9). 1 = the original generator; 2 makes the simple
    /// rule of re-offering past purchases about twice as strong. CLI: <c>--repurchase-propensity</c>, 0 to 3.
    /// </summary>
    [Range(0d, 3d)] public double RepurchasePropensity { get; init; } = SyntheticProfile.Classic.RepurchasePropensity;

    /// <summary>
    /// Share of purchases after which the customer waits long before buying that article again: 168 days (24 weeks)
    /// plus a gamma(2) wait of mean 120 days, so mostly 6 to 15 months. Above 0 (or with
    /// <see cref="SeasonalRepurchaseShare"/> above 0) a customer remembers up to one article per row (at most 1,024),
    /// so that a long wait is kept, and a pick tries harder to avoid an article still waiting. 0 = the original generator.
    /// </summary>
    [Range(0d, 1d)] public double LongRepurchaseShare { get; init; } = SyntheticProfile.Classic.LongRepurchaseShare;

    /// <summary>
    /// Share of purchases the customer buys again around the same week a year later: the article waits 351 days, and
    /// from 351 to 379 days after the purchase each pick takes it with chance 0.5 while it is still on sale; after
    /// that it is an ordinary repurchase. 0 = the original generator.
    /// </summary>
    [Range(0d, 1d)] public double SeasonalRepurchaseShare { get; init; } = SyntheticProfile.Classic.SeasonalRepurchaseShare;

    /// <summary>Rows of transactions that will be generated.</summary>
    /// <summary>
    /// Weeks of transactions left out at the end (default 0): the data as it stood that many weeks before
    /// <see cref="LastDay"/>, every earlier row the same. Data a week apart, for a weekly retrain, differ by one.
    /// </summary>
    [Range(0, 52)] public int WithheldWeeks { get; init; }

    /// <summary>The last day with transactions written.</summary>
    public DateOnly WrittenLastDay => LastDay.AddDays(-7 * WithheldWeeks);

    public long TransactionCount => Transactions ?? (long)Math.Round(Customers * (double)Full.Transactions!.Value / Full.Customers);

    /// <summary>Product codes: the real catalogue has about 2.23 colour variants per code.</summary>
    public int ProductCodes => Math.Max(1, (int)Math.Round(Articles / 2.235));

    /// <summary>The shape knobs of this dataset: a named profile when they match one, else one named "custom".</summary>
    public SyntheticProfile Profile
    {
        get
        {
            var knobs = new SyntheticProfile("custom", PopularityConcentration, RepurchaseHorizonDays, ActivityDispersion, CatalogueTurnover, SectionLoyalty, RepurchasePropensity,
                LongRepurchaseShare, SeasonalRepurchaseShare);
            return SyntheticProfile.Named.FirstOrDefault(p => p with { Name = knobs.Name } == knobs) ?? knobs;
        }
    }

    /// <summary>These sizes and seed with the knobs of <paramref name="profile"/>.</summary>
    public SyntheticOptions WithProfile(SyntheticProfile profile) => this with
    {
        PopularityConcentration = profile.PopularityConcentration,
        RepurchaseHorizonDays = profile.RepurchaseHorizonDays,
        ActivityDispersion = profile.ActivityDispersion,
        CatalogueTurnover = profile.CatalogueTurnover,
        SectionLoyalty = profile.SectionLoyalty,
        RepurchasePropensity = profile.RepurchasePropensity,
        LongRepurchaseShare = profile.LongRepurchaseShare,
        SeasonalRepurchaseShare = profile.SeasonalRepurchaseShare,
    };

    /// <summary>These sizes and seed with the knobs of the named profile (see <see cref="SyntheticProfile.Named"/>).</summary>
    /// <exception cref="ArgumentException">No profile has that name; the message names <c>--profile</c> and the known names.</exception>
    public SyntheticOptions WithProfile(string name) => WithProfile(SyntheticProfile.Find(name));

    /// <summary>Checks the sizes and knobs, naming the option (its command-line flag) and the allowed range.</summary>
    public void Validate() => OptionsValidator.Validate(this, name: OptionsValidator.Flag);

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext context)
    {
        if (Transactions is { } t && (t < Customers || t > 2_000_000_000))
        {
            yield return new ValidationResult($"must be between the number of customers ({Customers}) and 2,000,000,000 (got {t}).", [nameof(Transactions)]);
        }
        if (LongRepurchaseShare + SeasonalRepurchaseShare > 1)
        {
            yield return new ValidationResult(string.Create(CultureInfo.InvariantCulture,
                $"--long-repurchase-share plus --seasonal-repurchase-share must be at most 1 (got {LongRepurchaseShare} + {SeasonalRepurchaseShare})."));
        }
    }
}
