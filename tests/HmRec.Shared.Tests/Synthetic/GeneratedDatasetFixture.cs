namespace HmRec.Shared.Tests.Synthetic;

/// <summary>One default-size dataset shared by the generator tests (generated once, ~3 s).</summary>
public sealed class GeneratedDatasetFixture : IDisposable
{
    public GeneratedDatasetFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"hmrec-gen-{Guid.NewGuid():N}");
        Summary = SyntheticDataGenerator.Generate(SyntheticOptions.Default, Directory);
        Statistics = DatasetStatistics.Measure(Directory);
    }

    public string Directory { get; }

    public SyntheticSummary Summary { get; }

    public DatasetStatistics Statistics { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
