namespace HmRec.Activities.Evaluation;

/// <summary>The ensemble's rankers and weights: chosen on each fold of validation users, and their mean for new data.</summary>
public sealed record EnsembleSummary(IReadOnlyList<string> Models, IReadOnlyList<double> Weights, IReadOnlyList<double> WeightsFold0, IReadOnlyList<double> WeightsFold1, string? NotBuilt)
{
    public override string ToString() => NotBuilt ?? string.Join(", ", Models.Zip(Weights, (m, w) => $"{m} {w.ToString("F1", CultureInfo.InvariantCulture)}"));
}
