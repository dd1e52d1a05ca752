namespace HmRec.Cli.Hosting;

/// <summary>Reading the failures that cross the durable boundary.</summary>
internal static class TaskFailures
{
    /// <summary>The innermost failure: what an activity or sub-orchestration threw, under the orchestrations that passed it up.</summary>
    public static TaskFailureDetails? Root(this TaskFailureDetails? failure)
    {
        while (failure?.InnerFailure is { } inner)
        {
            failure = inner;
        }
        return failure;
    }
}
