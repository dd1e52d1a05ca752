using HmRec.Shared.Synthetic;

namespace HmRec.Activities.Common;

/// <summary>
/// What every host does to start a run: find the input data (a folder, <c>blob:{prefix}</c> pulled from the run
/// storage, the configured data connection, or the default generated dataset kept in the store), derive the run id
/// (from the options and the input files, with a suffix for a fresh run), and create the run folder with its
/// config.json.
/// </summary>
public static class RunPreparation
{
    /// <summary>The folder of the generated dataset for <paramref name="synthetic"/> in <paramref name="store"/>, generated when missing.</summary>
    public static string GeneratedData(string store, SyntheticOptions synthetic, Action<string> say)
    {
        // Each shape gets a folder of its own, named after its profile or, for other knobs, after every knob.
        var profile = synthetic.Profile;
        var shape = profile.Name != "custom" ? $"-{profile.Name}"
            : FormattableString.Invariant($"-c{profile.PopularityConcentration}-h{profile.RepurchaseHorizonDays}-a{profile.ActivityDispersion}-t{profile.CatalogueTurnover}-l{profile.SectionLoyalty}-r{profile.RepurchasePropensity}-L{profile.LongRepurchaseShare}-s{profile.SeasonalRepurchaseShare}");
        var withheld = synthetic.WithheldWeeks > 0 ? FormattableString.Invariant($"-until{synthetic.WrittenLastDay:yyyyMMdd}") : "";
        var directory = Path.Combine(store, "data", $"synthetic-{synthetic.Customers}x{synthetic.Articles}-seed{synthetic.Seed}{shape}{withheld}");
        if (File.Exists(Path.Combine(directory, HmSchema.TransactionsFile)))
        {
            say($"Data: {directory} (generated earlier)");
        }
        else
        {
            say($"Generating {synthetic.Customers:N0} customers and {synthetic.Articles:N0} articles into {directory}");
            SyntheticDataGenerator.Generate(synthetic, directory);
        }
        return directory;
    }

    /// <summary>
    /// The local folder of the input <paramref name="data"/>: a folder; <c>blob:{prefix}</c>, the CSV files under that
    /// prefix of the run storage's container, pulled into <paramref name="runsRoot"/>; or, when null,
    /// <paramref name="dataConnection"/> when it is a folder, else the generated default dataset in <paramref name="store"/>
    /// (pushed to <c>data/default/</c> when runs live in blobs).
    /// </summary>
    public static async Task<string> DataDirectoryAsync(string? data, ulong seed, string store, string runsRoot, string? dataConnection, RunStorage? storage,
        CancellationToken cancellationToken)
    {
        if (data is not null && data.StartsWith("blob:", StringComparison.Ordinal))
        {
            var blobs = storage ?? throw new InputDataException(data, null, null, "a blob: data location needs AzureWebJobsStorage to name a storage account");
            var prefix = data[5..].Trim('/') + "/";
            if (prefix.Split('/').Any(part => part is "." or ".."))
            {
                throw new InputDataException(data, null, null, "a blob: prefix must not contain '.' or '..' segments");
            }
            var directory = Path.Combine(runsRoot, "data", prefix.Replace('/', '_').Trim('_'));
            if (await blobs.Mirror.PullAsync(prefix, directory, cancellationToken).ConfigureAwait(false) == 0 && !Directory.Exists(directory))
            {
                throw new InputDataException(data, null, null, $"no blob under '{prefix}' in container '{blobs.Mirror.Container}'");
            }
            return directory;
        }
        if (data is not null)
        {
            return Path.GetFullPath(data);
        }
        if (Directory.Exists(dataConnection))
        {
            return dataConnection;
        }
        var generated = GeneratedData(store, SyntheticOptions.Default with { Seed = seed }, _ => { });
        if (storage is not null)
        {
            await storage.Mirror.PushAsync(generated, "data/default/", cancellationToken).ConfigureAwait(false);
        }
        return generated;
    }

    /// <summary>Where run folders live on this machine: the store, or its scratch folder when runs live in blob storage.</summary>
    public static string RunsRoot(string store, RunStorage? storage) => storage is null ? store : Path.Combine(store, "scratch");

    /// <summary>
    /// What an HTTP starter or a timer does: finds the input <paramref name="data"/> (see <see cref="DataDirectoryAsync"/>)
    /// and prepares the run under <see cref="RunsRoot"/>. With <paramref name="roots"/>, a folder given as
    /// <paramref name="data"/> and the image embeddings must lie under them.
    /// </summary>
    public static async Task<PreparedRun> PrepareAsync(string? data, PipelineOptions options, string store, string? dataConnection, RunStorage? storage,
        string? suffix, string? runId, CancellationToken cancellationToken, DataRoots? roots = null)
    {
        if (roots is not null)
        {
            if (data is not null && !data.StartsWith("blob:", StringComparison.Ordinal))
            {
                data = roots.Check("data", data);
            }
            if (options.Features.ImageEmbeddings is { } images)
            {
                roots.Check("Features.ImageEmbeddings", images);
            }
        }
        var runsRoot = RunsRoot(store, storage);
        var directory = await DataDirectoryAsync(data, options.Seed, store, runsRoot, dataConnection, storage, cancellationToken).ConfigureAwait(false);
        return Prepare(directory, runsRoot, options, suffix, runId);
    }

    /// <summary>
    /// Prepares a run on <paramref name="dataDirectory"/> under <paramref name="runsRoot"/>: creates its folder and writes
    /// config.json. The run id is <paramref name="runId"/> when given, else derived from the options and the input, plus
    /// <paramref name="suffix"/>.
    /// </summary>
    public static PreparedRun Prepare(string dataDirectory, string runsRoot, PipelineOptions options, string? suffix, string? runId = null)
    {
        var inputs = IngestInputs.FromDirectory(dataDirectory);
        foreach (var file in new[] { inputs.Articles, inputs.Customers, inputs.Transactions })
        {
            if (!File.Exists(file))
            {
                throw new InputDataException(file, null, null, "the input file does not exist");
            }
        }
        runId ??= RunIdentity.Compute(options, [inputs.Articles, inputs.Customers, inputs.Transactions]);
        if (suffix is not null)
        {
            runId += "-" + suffix;
        }
        var runDirectory = Path.Combine(runsRoot, "runs", runId);
        Directory.CreateDirectory(runDirectory);
        JsonFile.Write(new RunLayout(runDirectory).Config, new { runId, data = dataDirectory, options });
        return new PreparedRun(runId, inputs, runDirectory);
    }
}

/// <summary>A run ready to start: its id, input files and folder.</summary>
public sealed record PreparedRun(string RunId, IngestInputs Inputs, string RunDirectory);
