namespace HmRec.Activities.Recall.Strategies;

/// <summary>
/// The <c>popularity</c> recall strategy (options: <c>Recall.Popularity</c>). The week's decayed best sellers (its global popularity table), the same list for every user.
/// </summary>
internal sealed class PopularityStrategy : RecallStrategy
{
    public override string Name => RecallStrategies.Popularity;

    protected override (string Query, int TopN) Candidates(RecallContext context)
    {
        var r = context.Options;
        string G(string table) => context.Global(table);
        return ($"""
            SELECT t.customer_idx, p.article_idx, p.score FROM targets t CROSS JOIN {G("popularity")} p
            """, r.Popularity.TopN);
    }
}
