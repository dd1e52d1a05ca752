using HmRec.Activities.Common;

namespace HmRec.Activities.Tests.Common;

/// <summary>The DuckDB session of an activity: its share of the cores when the host runs activities side by side.</summary>
public sealed class AnalyticsSessionTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hmrec-session-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void ShareCores_ActivitiesAtOnce_EachSessionGetsItsShareAndAtLeastOne()
    {
        try
        {
            AnalyticsSession.ShareCores(2);
            Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), Threads());

            AnalyticsSession.ShareCores(Environment.ProcessorCount * 4);
            Assert.Equal(1, Threads());

            AnalyticsSession.ShareCores(1);
            Assert.Equal(Environment.ProcessorCount, Threads());
        }
        finally
        {
            AnalyticsSession.ShareCores(1);
        }
    }

    private long Threads()
    {
        using var session = new AnalyticsSession("1GB", directory);
        return session.Scalar<long>("SELECT current_setting('threads')::BIGINT");
    }
}
