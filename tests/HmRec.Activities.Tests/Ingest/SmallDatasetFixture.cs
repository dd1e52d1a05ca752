namespace HmRec.Activities.Tests.Ingest;

/// <summary>A small generated dataset, made once for the ingest tests.</summary>
public sealed class SmallDatasetFixture : IDisposable
{
    public SmallDatasetFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"hmrec-ingest-src-{Guid.NewGuid():N}");
        SyntheticDataGenerator.Generate(new SyntheticOptions(2_000, 800, Seed: 3), Directory);
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
