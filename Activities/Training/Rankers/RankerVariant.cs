namespace HmRec.Activities.Training.Rankers;

/// <summary>
/// One LightGBM ranker the training stage trains, each in a file of its own in this folder and registered in
/// <see cref="RankerVariants.Registered"/>: its name (its <c>models/{name}/</c> folder and its column in the metrics) and
/// what it changes in the parameters every ranker shares (<see cref="RankerVariants.Parameters"/>).
/// </summary>
public abstract class RankerVariant
{
    public abstract string Name { get; }

    /// <summary>Sets the objective and whatever else this variant changes in the shared <paramref name="parameters"/>.</summary>
    public abstract void Configure(IDictionary<string, string> parameters);
}
