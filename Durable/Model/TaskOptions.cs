namespace HmRec.Durable.Model;

/// <summary>Options of an activity or sub-orchestration call.</summary>
public record TaskOptions(RetryPolicy? Retry = null);
