namespace HmRec.Activities.Tests.Common;

/// <summary>The DuckDB session of an activity: its share of the cores and of the memory budget when the host runs activities side by side.</summary>
public sealed class AnalyticsSessionTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hmrec-session-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void ShareMachine_ActivitiesAtOnce_EachSessionGetsItsShareAndAtLeastOne()
    {
        try
        {
            AnalyticsSession.ShareMachine(2);
            Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), Threads());

            AnalyticsSession.ShareMachine(Environment.ProcessorCount * 4);
            Assert.Equal(1, Threads());

            AnalyticsSession.ShareMachine(1);
            Assert.Equal(Environment.ProcessorCount, Threads());
        }
        finally
        {
            AnalyticsSession.ShareMachine(1);
        }
    }

    [Fact]
    public void ShareMachine_ActivitiesAtOnce_SplitTheMemoryBudget()
    {
        try
        {
            AnalyticsSession.ShareMachine(1);
            Assert.Equal(MemoryLimitOf("2GB"), MemoryLimit("2GB"));

            AnalyticsSession.ShareMachine(4);
            Assert.Equal(MemoryLimitOf("500MB"), MemoryLimit("2GB"));
            Assert.Equal(MemoryLimitOf("1GiB"), MemoryLimit("4GiB"));
        }
        finally
        {
            AnalyticsSession.ShareMachine(1);
        }
    }

    private long Threads()
    {
        using var session = new AnalyticsSession("1GB", directory);
        return session.Scalar<long>("SELECT current_setting('threads')::BIGINT");
    }

    private string? MemoryLimit(string budget)
    {
        using var session = new AnalyticsSession(budget, directory);
        return session.Scalar<string>("SELECT current_setting('memory_limit')");
    }

    /// <summary>How DuckDB reports a limit of <paramref name="size"/> set directly.</summary>
    private static string? MemoryLimitOf(string size)
    {
        using var connection = DuckDb.Open(new Dictionary<string, string> { ["memory_limit"] = size });
        return connection.Scalar<string>("SELECT current_setting('memory_limit')");
    }
}
