namespace HmRec.Shared.Tests.Synthetic;

/// <summary>One default-size dataset shared by the generator tests (generated once, ~3 s).</summary>
public sealed class GeneratedDatasetFixture : IDisposable
{
    public GeneratedDatasetFixture()
    {
        Summary = SyntheticDataGenerator.Generate(SyntheticOptions.Default, Directory);
        Statistics = DatasetStatistics.Measure(Directory);
    }

    public TempFolder Directory { get; } = new("gen");

    public SyntheticSummary Summary { get; }

    public DatasetStatistics Statistics { get; }

    public void Dispose() => Directory.Dispose();
}
