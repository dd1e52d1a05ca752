namespace HmRec.Activities.Training.Rankers;

/// <summary><c>lgb_binary</c>: each candidate on its own, bought in the label week or not (LightGBM's <c>binary</c> objective).</summary>
internal sealed class BinaryRanker : RankerVariant
{
    public override string Name => "lgb_binary";

    public override void Configure(IDictionary<string, string> parameters) => parameters["objective"] = "binary";
}
