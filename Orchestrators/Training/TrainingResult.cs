namespace HmRec.Orchestrators.Training;

/// <summary>The trained rankers and their ensemble.</summary>
public sealed record TrainingResult(IReadOnlyList<ModelSummary> Models, EnsembleSummary Ensemble);
