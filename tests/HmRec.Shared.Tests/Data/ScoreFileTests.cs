using System.Diagnostics;

namespace HmRec.Shared.Tests.Data;

public sealed class ScoreFileTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("hmrec-scores-");

    public void Dispose() => directory.Delete(true);

    [Fact]
    public void Write_RemovesWhatAKilledWriterLeft_AndKeepsALiveWritersFile()
    {
        var path = Path.Combine(directory.FullName, "validation.parquet");
        // A writer that is gone (a process that has exited), and one that runs (this one).
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        gone.WaitForExit();
        var abandoned = $"{path}.tmp-{gone.Id}-0123";
        var live = $"{path}.tmp-{Environment.ProcessId}-4567";
        File.WriteAllText(abandoned, "half a file");
        File.WriteAllText(live, "being written");
        using var connection = DuckDb.Open();

        ScoreFile.Write(connection, [1, 1, 2], [10, 11, 10], [0.5f, 0.25f, 1f], path);

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(live));
        Assert.Equal(3L, connection.Scalar<long>($"SELECT count(*) FROM read_parquet('{path}') WHERE score > 0"));
        Assert.Equal(["validation.parquet", Path.GetFileName(live)], Directory.GetFiles(directory.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
