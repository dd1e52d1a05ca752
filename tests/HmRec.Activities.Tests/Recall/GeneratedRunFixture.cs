namespace HmRec.Activities.Tests.Recall;

/// <summary>A small generated dataset ingested once; tests copy the ingest output into their own run folders.</summary>
public sealed class GeneratedRunFixture : IDisposable
{
    public GeneratedRunFixture()
    {
        SyntheticDataGenerator.Generate(new SyntheticOptions(3_000, 900, Seed: 11), Path.Combine(Root, "data"));
        Ingest = Ingestor.Run(IngestInputs.FromDirectory(Path.Combine(Root, "data")), Path.Combine(Root, "base", "ingest"), Options.Ingest);
    }

    public TempFolder Root { get; } = new("recall");

    public IngestSummary Ingest { get; }

    public static PipelineOptions Options => new() { Shards = 2, Ingest = new IngestOptions { TrainingWeeks = 2, HistoryWeeks = 12 } };

    /// <summary>A new run folder holding a copy of the ingest output.</summary>
    public string NewRun(string name)
    {
        var run = Path.Combine(Root, name);
        var ingest = Path.Combine(run, "ingest");
        Directory.CreateDirectory(ingest);
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "base", "ingest")))
        {
            File.Copy(file, Path.Combine(ingest, Path.GetFileName(file)));
        }
        return run;
    }

    public void Dispose() => Root.Dispose();
}
