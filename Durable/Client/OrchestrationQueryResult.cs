namespace HmRec.Durable.Client;

/// <summary>One page of instances; ContinuationToken is null on the last page.</summary>
public sealed record OrchestrationQueryResult(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);
