namespace HmRec.Functions.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), $"hmrec-cli-{Guid.NewGuid():N}");

    public CliTests() => Directory.CreateDirectory(work);

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Run_Twice_GeneratesIngestsThenResumesWithoutRedoingWork()
    {
        var first = HmRecProcess.Run(work, "run", "--customers", "800", "--articles", "300", "--store", "st");
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        Assert.Contains("Generating 800 customers", first.Out);
        Assert.Contains("Stage 1 ingest:", first.Out);
        Assert.Contains("validation", first.Out);
        var runDirectory = Directory.GetDirectories(Path.Combine(work, "st", "runs")).Single();
        Assert.True(File.Exists(Path.Combine(runDirectory, "config.json")));
        Assert.True(File.Exists(Path.Combine(runDirectory, "ingest", "transactions.parquet")));

        var second = HmRecProcess.Run(work, "run", "--customers", "800", "--articles", "300", "--store", "st");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("generated earlier", second.Out);
        Assert.Contains("done earlier, skipped", second.Out);
        Assert.Equal(runDirectory, Directory.GetDirectories(Path.Combine(work, "st", "runs")).Single());
    }

    [Fact]
    public void Generate_BadSize_ExitsWithMessageNamingTheOption()
    {
        var result = HmRecProcess.Run(work, "generate", "--customers", "3", "--out", "x");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--customers must be between", result.Error);
        Assert.False(Directory.Exists(Path.Combine(work, "x")));
    }

    [Fact]
    public void Ingest_BadFile_ExitsWithFileLineAndColumnAndNoStackTrace()
    {
        Assert.Equal(0, HmRecProcess.Run(work, "generate", "--customers", "300", "--articles", "100", "--out", "data").ExitCode);
        var path = Path.Combine(work, "data", "transactions_train.csv");
        var lines = File.ReadAllLines(path);
        lines[10] = lines[10][..^1] + "9";
        File.WriteAllLines(path, lines);

        var result = HmRecProcess.Run(work, "ingest", "--data", "data", "--out", "parquet");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("transactions_train.csv, line 11, column 'sales_channel_id'", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.False(Directory.Exists(Path.Combine(work, "parquet")));
    }

    [Fact]
    public void Ingest_NoInputs_ExitsWithUsageMessage()
    {
        var result = HmRecProcess.Run(work, "ingest", "--out", "parquet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--data", result.Error);
    }

    [Fact]
    public void UnknownCommand_ExitsNonZero()
    {
        Assert.NotEqual(0, HmRecProcess.Run(work, "frobnicate").ExitCode);
    }
}
