namespace HmRec.Activities.Training.Rankers;

/// <summary><c>lgb_xendcg</c>: each user's week ranked as a whole by LightGBM's cross-entropy bound on NDCG (<c>rank_xendcg</c>).</summary>
internal sealed class XeNdcgRanker : RankerVariant
{
    public override string Name => "lgb_xendcg";

    public override void Configure(IDictionary<string, string> parameters) => parameters["objective"] = "rank_xendcg";
}
