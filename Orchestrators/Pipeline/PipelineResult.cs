namespace HmRec.Orchestrators.Pipeline;

/// <summary>What a pipeline run produced, stage by stage.</summary>
public sealed record PipelineResult(
    string RunId,
    IngestSummary Ingest,
    RecallReport? Recall = null,
    IReadOnlyList<StageSummary>? Stages = null,
    IReadOnlyList<ModelSummary>? Models = null,
    EvaluationReport? Evaluation = null,
    EnsembleSummary? Ensemble = null,
    SubmissionSummary? Submission = null,
    IReadOnlyList<StageTimeline>? Timeline = null,
    string? Report = null)
{
    /// <summary>Whether the run became the champion, and why (null for runs from before the promotion step).</summary>
    public Activities.Champion.PromotionDecision? Promotion { get; init; }
}
