namespace HmRec.Activities.Training.Rankers;

/// <summary><c>lgb_deep</c>: the binary objective with larger trees (127 leaves, depth 15) whatever the shared tree options say.</summary>
internal sealed class DeepRanker : RankerVariant
{
    public override string Name => "lgb_deep";

    public override void Configure(IDictionary<string, string> parameters)
    {
        parameters["objective"] = "binary";
        parameters["num_leaves"] = "127";
        parameters["max_depth"] = "15";
    }
}
