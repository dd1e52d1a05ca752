namespace HmRec.Activities.Recall;

/// <summary>Input of a run-wide activity (the text vectors, the recall report).</summary>
public sealed record RunTask(string RunDirectory, PipelineOptions Options);

/// <summary>Input of a per-label-week activity (the global recall tables).</summary>
public sealed record WeekTask(string RunDirectory, LabelWeek Week, PipelineOptions Options);

/// <summary>Input of a per-shard activity of a week: the merge, the features.</summary>
public sealed record ShardTask(string RunDirectory, LabelWeek Week, int Shard, PipelineOptions Options);

/// <summary>Input of the recall report: the run and the label weeks to measure.</summary>
public sealed record ReportTask(string RunDirectory, PipelineOptions Options, IReadOnlyList<LabelWeek> Weeks);

/// <summary>
/// Input of the ensemble and the submission: the run, the rankers they combine and, for the submission, the
/// baseline that serves customers without model scores (null: repurchase-then-popular).
/// </summary>
public sealed record EvaluationTask(string RunDirectory, PipelineOptions Options, IReadOnlyList<string> Models, string? Fallback = null);

/// <summary>Input of the evaluation's reduce step: every model's per-shard metric sums.</summary>
public sealed record EvaluationReduceTask(string RunDirectory, PipelineOptions Options, IReadOnlyList<Evaluation.ShardMetrics> Shards);
