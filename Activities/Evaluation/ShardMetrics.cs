namespace HmRec.Activities.Evaluation;

/// <summary>One model's metric sums over one shard of the validation buyers (absent when the model has no predictions).</summary>
public sealed record ShardMetrics(string Model, int Shard, bool Present, MetricSums CandidateUsers, MetricSums AllBuyers);
