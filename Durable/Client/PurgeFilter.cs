namespace HmRec.Durable.Client;

/// <summary>Which finished instances to purge: created in [CreatedFrom, CreatedTo) with one of the statuses (default: all finished ones).</summary>
public sealed record PurgeFilter(DateTime? CreatedFrom = null, DateTime? CreatedTo = null, IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses = null);
