using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>Popularity: the same top items for every user, from decayed sales, unique buyers and the recent trend.</summary>
public sealed record PopularityOptions : IRecallStrategyOptions
{
    /// <summary>Items per user, and the length of the popularity list (default 12).</summary>
    [Range(1, 1000)] public int TopN { get; init; } = 12;

    /// <summary>Days of sales counted (default 28).</summary>
    [Range(7, 3650)] public int WindowDays { get; init; } = 28;

    /// <summary>A sale this many days old counts half (default 7).</summary>
    [Positive] public double HalfLifeDays { get; init; } = 7;
}

/// <summary>
/// The <c>popularity</c> recall strategy (options: <c>Recall.Popularity</c>). The week's decayed best sellers (its global popularity table), the same list for every user.
/// </summary>
internal sealed class PopularityStrategy() : RecallStrategy<PopularityOptions>(RecallStrategies.Popularity, r => r.Popularity)
{
    protected override string Candidates(RecallContext context, PopularityOptions options) => $"""
        SELECT t.customer_idx, p.article_idx, p.score FROM targets t CROSS JOIN {context.Global("popularity")} p
        """;
}
