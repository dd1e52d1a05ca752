namespace HmRec.Durable.Client;

/// <summary>
/// Which instances to list: created in [CreatedFrom, CreatedTo), with one of the statuses, whose id
/// starts with the prefix; PageSize at a time, continuing after ContinuationToken.
/// </summary>
public sealed record OrchestrationQuery
{
    public DateTime? CreatedFrom { get; init; }

    public DateTime? CreatedTo { get; init; }

    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    public string? InstanceIdPrefix { get; init; }

    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }
}
