using System.CommandLine;
using System.Text.Json;
using HmRec.Activities.Ingest;
using HmRec.Shared.Data;
using HmRec.Shared.Options;
using HmRec.Shared.Synthetic;

namespace HmRec.Functions.Cli;

/// <summary>
/// <c>hmrec run</c>: one pipeline run on the embedded default (a store folder under the current
/// directory). Stages whose output exists are skipped, so running the same command again after a
/// crash picks up where it stopped.
/// </summary>
internal static class RunCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "Folder holding articles.csv, customers.csv and transactions_train.csv; without it a synthetic dataset is generated." };
        var store = new Option<DirectoryInfo>("--store") { Description = "Folder for the run's data and state.", DefaultValueFactory = _ => new DirectoryInfo(".hmrec") };
        var fresh = new Option<bool>("--new") { Description = "Start a fresh run even if one with the same config and input exists." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the generated data and the run.", DefaultValueFactory = _ => 42 };
        var customers = new Option<int>("--customers") { Description = "Customers in the generated dataset.", DefaultValueFactory = _ => SyntheticOptions.Default.Customers };
        var articles = new Option<int>("--articles") { Description = "Articles in the generated dataset.", DefaultValueFactory = _ => SyntheticOptions.Default.Articles };
        var command = new Command("run", "Run the pipeline to completion on the embedded default, with progress.")
        {
            data, store, fresh, seed, customers, articles,
        };
        command.SetAction(parse =>
        {
            var options = new PipelineOptions { Seed = parse.GetValue(seed), Ingest = new IngestOptions { Seed = parse.GetValue(seed) } };
            return Run(parse.GetValue(data)?.FullName, parse.GetValue(store)!.FullName, parse.GetValue(fresh),
                new SyntheticOptions(parse.GetValue(customers), parse.GetValue(articles), Seed: parse.GetValue(seed)), options);
        });
        return command;
    }

    internal static int Run(string? dataDirectory, string store, bool fresh, SyntheticOptions synthetic, PipelineOptions options)
    {
        try
        {
            options.Validate();
            synthetic.Validate();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        if (dataDirectory is null)
        {
            dataDirectory = Path.Combine(store, "data", $"synthetic-{synthetic.Customers}x{synthetic.Articles}-seed{synthetic.Seed}");
            if (File.Exists(Path.Combine(dataDirectory, HmSchema.TransactionsFile)))
            {
                Console.WriteLine($"Data: {dataDirectory} (generated earlier)");
            }
            else if (GenerateCommand.Run(synthetic, dataDirectory, printStats: false) != 0)
            {
                return 1;
            }
        }
        else
        {
            Console.WriteLine($"Data: {dataDirectory}");
        }

        var inputs = IngestInputs.FromDirectory(dataDirectory);
        var runId = RunIdentity.Compute(options, [inputs.Articles, inputs.Customers, inputs.Transactions]);
        if (fresh)
        {
            runId += "-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        }
        var runDirectory = Path.Combine(store, "runs", runId);
        Directory.CreateDirectory(runDirectory);
        WriteAtomically(Path.Combine(runDirectory, "config.json"), JsonSerializer.Serialize(new { runId, data = dataDirectory, options }, Indented));
        Console.WriteLine($"Run: {runId} in {runDirectory}");

        var ingestDirectory = Path.Combine(runDirectory, "ingest");
        var manifest = Path.Combine(ingestDirectory, "manifest.json");
        if (File.Exists(manifest))
        {
            Console.WriteLine("Stage 1 ingest: done earlier, skipped.");
            IngestCommand.Print(JsonSerializer.Deserialize<IngestSummary>(File.ReadAllText(manifest))!);
        }
        else
        {
            Console.WriteLine("Stage 1 ingest:");
            if (IngestCommand.Run(inputs, ingestDirectory, options.Ingest) != 0)
            {
                return 1;
            }
        }
        Console.WriteLine("Later stages (recall, features, rankers, evaluation, submission) are not built yet; see README.md.");
        return 0;
    }

    private static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
