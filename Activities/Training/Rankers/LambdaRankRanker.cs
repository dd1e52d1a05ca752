namespace HmRec.Activities.Training.Rankers;

/// <summary><c>lgb_lambdarank</c>: each user's week ranked as a whole (LightGBM's <c>lambdarank</c>), its gradient truncated at the 12 recommended.</summary>
internal sealed class LambdaRankRanker : RankerVariant
{
    public override string Name => "lgb_lambdarank";

    public override void Configure(IDictionary<string, string> parameters)
    {
        parameters["objective"] = "lambdarank";
        parameters["lambdarank_truncation_level"] = "12";
    }
}
