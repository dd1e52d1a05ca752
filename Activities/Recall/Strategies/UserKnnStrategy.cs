using HmRec.Activities.Common;
using static HmRec.Activities.Common.AnalyticsSession;
using static HmRec.Shared.Analytics.DuckDb;

namespace HmRec.Activities.Recall.Strategies;

/// <summary>
/// The <c>userknn</c> recall strategy (options: <c>Recall.UserKnn</c>). What the user's nearest neighbours (by the articles they share) bought recently, weighted by similarity.
/// <para>The neighbours are computed first (UserNeighbours); each proposes its recent purchases weighted by similarity.</para>
/// </summary>
internal sealed class UserKnnStrategy : RecallStrategy
{
    public override string Name => RecallStrategies.UserKnn;

    /// <summary>The neighbours first (<see cref="UserNeighbours"/>), then their purchases.</summary>
    public override void Write(AnalyticsSession session, RecallContext context, string output)
    {
        UserNeighbours.Write(session, context.Options.UserKnn, context.Global("knn_user_items"), context.Global("knn_item_buyers"));
        base.Write(session, context, output);
    }

    protected override (string Query, int TopN) Candidates(RecallContext context)
    {
        var r = context.Options;
        var c = context.Cutoff;
        var eligible = context.Eligible;
        return ($"""
            SELECT n.u AS customer_idx, t.article_idx, {Sum($"n.sim * {Decay("t.day", c, r.UserKnn.HalfLifeDays)}")} AS score
            FROM {UserNeighbours.Table} n JOIN tx t ON t.customer_idx = n.v
            SEMI JOIN {eligible} e ON e.article_idx = t.article_idx
            WHERE t.day >= {c - r.UserKnn.ItemWindowDays}
            GROUP BY ALL
            """, r.UserKnn.TopN);
    }
}
