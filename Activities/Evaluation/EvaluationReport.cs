namespace HmRec.Activities.Evaluation;

/// <summary>Every model's and baseline's metrics on the validation week, best MAP@12 (all buyers) first.</summary>
public sealed record EvaluationReport(long Buyers, long BuyersWithCandidates, double CandidateRecall, IReadOnlyList<ModelEvaluation> Models);

/// <summary>
/// One model: metrics over the buyers who had candidates, and over every validation buyer (buyers the model
/// has no prediction for, and lists shorter than 12, are filled from the decayed-popularity baseline).
/// </summary>
public sealed record ModelEvaluation(string Model, string Kind, MetricSet CandidateUsers, MetricSet AllBuyers);
