namespace HmRec.Activities.Recall.Strategies;

/// <summary>
/// The <c>repurchase</c> recall strategy (options: <c>Recall.Repurchase</c>). The user's own past articles over the whole history: the best by decayed score (recent and frequent purchases first), and the latest few whatever their score (the rule's items).
/// <para>Over the whole history: the best TopN by decayed score (recent and frequent purchases first), and the user's KeepRecent latest items whatever their score (the rule's items).</para>
/// </summary>
internal sealed class RepurchaseStrategy : RecallStrategy
{
    public override string Name => RecallStrategies.Repurchase;

    protected override (string Query, int TopN) Candidates(RecallContext context)
    {
        var r = context.Options;
        var c = context.Cutoff;
        var layout = context.Layout;
        return ($"""
            SELECT customer_idx, article_idx, score FROM ({WholeHistory.DecayedScores(layout, "SEMI JOIN targets USING (customer_idx)", c, r.Repurchase.HalfLifeDays, r.Repurchase.WindowDays)})
            QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY score DESC, article_idx) <= {r.Repurchase.TopN}
                 OR row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, n DESC, article_idx) <= {r.Repurchase.KeepRecent}
            """, int.MaxValue);
    }
}
