using System.Globalization;
using System.Text.Json;
using HmRec.Activities.Ingest;
using HmRec.Orchestrators.Pipeline;
using HmRec.Shared.Data;
using HmRec.Shared.Options;
using HmRec.Shared.Synthetic;

namespace HmRec.Functions.Host;

/// <summary>
/// What the CLI and the HTTP host share to start a run: the input data (a folder, or the default generated
/// dataset kept in the store), the run id (derived from the options and the input files, with a suffix for
/// a fresh run), the run folder and its config.json.
/// </summary>
internal static class PipelineRuns
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The folder of the generated dataset for <paramref name="synthetic"/> in <paramref name="store"/>, generated when missing.</summary>
    public static string GeneratedData(string store, SyntheticOptions synthetic, Action<string> say)
    {
        var directory = Path.Combine(store, "data", $"synthetic-{synthetic.Customers}x{synthetic.Articles}-seed{synthetic.Seed}");
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
    /// The request of a run on <paramref name="dataDirectory"/>; creates its folder and writes config.json. The run id
    /// is <paramref name="runId"/> when given, else derived from the options and the input, plus <paramref name="suffix"/>.
    /// </summary>
    public static PipelineRequest Prepare(string dataDirectory, string store, PipelineOptions options, string? suffix, string? runId = null)
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
        var runDirectory = Path.Combine(store, "runs", runId);
        Directory.CreateDirectory(runDirectory);
        var config = Path.Combine(runDirectory, "config.json");
        var temp = config + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(temp, JsonSerializer.Serialize(new { runId, data = dataDirectory, options }, Indented));
        File.Move(temp, config, overwrite: true);
        return new PipelineRequest(runId, inputs, runDirectory, options);
    }
}
