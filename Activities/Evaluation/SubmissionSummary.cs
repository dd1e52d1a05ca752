namespace HmRec.Activities.Evaluation;

/// <summary>The submission file: its customers, how many were ranked by the models and how many got the fallback, and the checks it passed.</summary>
public sealed record SubmissionSummary(string Path, long Customers, long RankedByModels, long Fallback, string Source, string FallbackModel, double Seconds);
