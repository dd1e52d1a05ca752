using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>
/// Repurchase: the user's own past items over the whole history, scored by recency-decayed frequency; the
/// user's 12 most recently bought items are always kept (the simple rule's items).
/// </summary>
public sealed record RepurchaseOptions : IRecallStrategyOptions
{
    /// <summary>Candidates per user (default 100: the user's history is short, and its items are the most likely repurchases).</summary>
    [Range(1, 1000)] public int TopN { get; init; } = 100;

    /// <summary>Purchases older than this many days before the cutoff are ignored (default 3650: the whole history).</summary>
    [Range(1, 3650)] public int WindowDays { get; init; } = 3650;

    /// <summary>The user's most recently bought items kept whatever their score (default 12).</summary>
    [Range(0, 1000)] public int KeepRecent { get; init; } = 12;

    /// <summary>A purchase this many days old counts half (default 30).</summary>
    [Positive] public double HalfLifeDays { get; init; } = 30;
}

/// <summary>
/// The <c>repurchase</c> recall strategy (options: <c>Recall.Repurchase</c>). The user's own past articles over the whole history: the best by decayed score (recent and frequent purchases first), and the latest few whatever their score (the rule's items).
/// <para>Over the whole history: the best TopN by decayed score (recent and frequent purchases first), and the user's KeepRecent latest items whatever their score (the rule's items).</para>
/// </summary>
internal sealed class RepurchaseStrategy() : RecallStrategy<RepurchaseOptions>(RecallStrategies.Repurchase, r => r.Repurchase)
{
    protected override string Candidates(RecallContext context, RepurchaseOptions options) => $"""
        SELECT customer_idx, article_idx, score FROM ({WholeHistory.DecayedScores(context.Layout, "SEMI JOIN targets USING (customer_idx)", context.Cutoff, options.HalfLifeDays, options.WindowDays)})
        QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY score DESC, article_idx) <= {options.TopN}
             OR row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, n DESC, article_idx) <= {options.KeepRecent}
        """;

    /// <summary>None: the query keeps the best TopN and the KeepRecent latest, which may be more than TopN.</summary>
    protected override int Cut(RepurchaseOptions options) => int.MaxValue;
}
