namespace HmRec.Activities.Tests.Ingest;

/// <summary>A small generated dataset, made once for the ingest tests.</summary>
public sealed class SmallDatasetFixture : IDisposable
{
    public SmallDatasetFixture()
    {
        SyntheticDataGenerator.Generate(new SyntheticOptions(2_000, 800, Seed: 3), Directory);
    }

    public TempFolder Directory { get; } = new("ingest-src");

    public void Dispose() => Directory.Dispose();
}
