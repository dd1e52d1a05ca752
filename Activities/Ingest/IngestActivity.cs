namespace HmRec.Activities.Ingest;

/// <summary>
/// Stage 1 as an activity. Idempotent: when the output folder already holds a complete ingest (its
/// manifest is written last, inside the atomic rename), it returns that summary without working again.
/// </summary>
public sealed class IngestActivity(IProgress<string>? progress = null)
{
    public const string Name = "Ingest";

    /// <summary>The activity: it reads the user's files and its own earlier output; it reports its stages.</summary>
    public static readonly ActivityDefinition<IngestRequest, IngestSummary> Definition = new(Name,
        (_, r) => Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(r.OutputDirectory)), _ => ["ingest/**"],
        (host, r) => new IngestActivity(host.Progress).RunAsync(r, host.Stopping));

    public Task<IngestSummary> RunAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        // An ingest written before the whole-history tables existed is done again.
        if (Ingestor.ReadManifest(request.OutputDirectory) is { } done && File.Exists(Path.Combine(request.OutputDirectory, "history_pairs.parquet")))
        {
            progress?.Report("ingest output exists, skipped");
            return Task.FromResult(done);
        }
        return Task.Run(() => Ingestor.Run(request.Inputs, request.OutputDirectory, request.Options, progress), cancellationToken);
    }
}
