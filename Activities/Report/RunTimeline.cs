namespace HmRec.Activities.Report;

/// <summary>One activity of a stage on the run's clock: what it did, when it started (UTC), how long it took, and whether its output was already there.</summary>
public sealed record ActivitySpan(string Label, DateTime Started, double Seconds, bool Skipped);

/// <summary>A stage of a run: when it started (UTC), its wall-clock seconds, and its activities.</summary>
public sealed record StageTimeline(string Stage, DateTime Started, double WallSeconds, IReadOnlyList<ActivitySpan> Activities);

/// <summary>The input of <see cref="RunReportActivity"/>: the run, its stages as they ran, its trained models, and where its submission went.</summary>
public sealed record RunReportTask(string RunDirectory, IReadOnlyList<StageTimeline> Timeline, IReadOnlyList<Training.ModelSummary> Models, Evaluation.SubmissionSummary? Submission);
