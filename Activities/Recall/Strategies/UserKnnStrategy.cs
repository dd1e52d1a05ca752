using System.ComponentModel.DataAnnotations;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>User-KNN: users with overlapping items (cosine on item sets), and what they bought recently.</summary>
public sealed record UserKnnOptions : IRecallStrategyOptions
{
    /// <summary>Candidates per user (default 16).</summary>
    [Range(1, 1000)] public int TopN { get; init; } = 16;

    /// <summary>Neighbours per user (default 30).</summary>
    [Range(1, 10_000)] public int Neighbours { get; init; } = 30;

    /// <summary>Weeks of purchases that define a user's item set (default 12).</summary>
    [Range(1, 520)] public int WindowWeeks { get; init; } = 12;

    /// <summary>The user's most recent distinct items used to find neighbours (default 20).</summary>
    [Range(1, 1000)] public int SeedItems { get; init; } = 20;

    /// <summary>Only an item's most recent buyers are considered, so best-sellers do not make everyone a neighbour (default 100).</summary>
    [Range(1, 1_000_000)] public int MaxBuyersPerItem { get; init; } = 100;

    /// <summary>Neighbours' purchases within this many days are recommended (default 28).</summary>
    [Range(1, 3650)] public int ItemWindowDays { get; init; } = 28;

    /// <summary>A neighbour's purchase this many days old counts half (default 14).</summary>
    [Positive] public double HalfLifeDays { get; init; } = 14;
}

/// <summary>
/// The <c>userknn</c> recall strategy (options: <c>Recall.UserKnn</c>). What the user's nearest neighbours (by the articles they share) bought recently, weighted by similarity.
/// <para>The neighbours are computed first (UserNeighbours); each proposes its recent purchases weighted by similarity.</para>
/// </summary>
internal sealed class UserKnnStrategy() : RecallStrategy<UserKnnOptions>(RecallStrategies.UserKnn, r => r.UserKnn)
{
    /// <summary>The neighbours first (<see cref="UserNeighbours"/>), then their purchases.</summary>
    public override void Write(AnalyticsSession session, RecallContext context, string output)
    {
        UserNeighbours.Write(session, OptionsIn(context), context.Global("knn_user_items"), context.Global("knn_item_buyers"));
        base.Write(session, context, output);
    }

    protected override string Candidates(RecallContext context, UserKnnOptions options) => $"""
        SELECT n.u AS customer_idx, t.article_idx, {Sum($"n.sim * {Decay("t.day", context.Cutoff, options.HalfLifeDays)}")} AS score
        FROM {UserNeighbours.Table} n JOIN tx t ON t.customer_idx = n.v
        SEMI JOIN {context.Eligible} e ON e.article_idx = t.article_idx
        WHERE t.day >= {context.Cutoff - options.ItemWindowDays}
        GROUP BY ALL
        """;

    public override IReadOnlyList<string> WeekTables => ["knn_user_items", "knn_item_buyers"];

    /// <summary>Who bought what in the window (with the last day), and each article's most recent buyers (capped).</summary>
    protected override void WriteWeekTables(AnalyticsSession session, RecallWeekContext week, UserKnnOptions k)
    {
        session.CopyToParquet($"""
            SELECT customer_idx, article_idx, max(day) AS last_day FROM tx WHERE day >= {week.Cutoff - 7 * k.WindowWeeks}
            GROUP BY ALL ORDER BY customer_idx, article_idx
            """, week.GlobalPath("knn_user_items"));
        session.CopyToParquet($"""
            SELECT article_idx, customer_idx FROM {week.Global("knn_user_items")}
            QUALIFY row_number() OVER (PARTITION BY article_idx ORDER BY last_day DESC, customer_idx) <= {k.MaxBuyersPerItem}
            ORDER BY article_idx, customer_idx
            """, week.GlobalPath("knn_item_buyers"));
    }
}
