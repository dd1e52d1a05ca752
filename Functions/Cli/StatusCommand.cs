using System.CommandLine;
using System.Globalization;
using HmRec.Durable.Client;
using HmRec.Durable.Stores.Sqlite;
using HmRec.Orchestrators.Pipeline;

namespace HmRec.Functions.Cli;

/// <summary><c>hmrec status</c>: the runs in a store's task hub, or one run in detail.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var store = new Option<DirectoryInfo>("--store") { Description = "Folder holding the task hub (taskhub.db).", DefaultValueFactory = _ => new DirectoryInfo(".hmrec") };
        var id = new Option<string?>("--id") { Description = "One run id: show its status, stage, output or failure, and history length." };
        var command = new Command("status", "List the runs in the store's task hub, or show one.") { store, id };
        command.SetAction(async (parse, token) => await RunAsync(parse.GetValue(store)!.FullName, parse.GetValue(id), token));
        return command;
    }

    private static async Task<int> RunAsync(string store, string? id, CancellationToken token)
    {
        var path = Path.Combine(store, "taskhub.db");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: no task hub at {path}; run 'hmrec run' first, or pass --store.");
            return 2;
        }
        using var hub = new SqliteDurableStore(path);
        var client = new DurableTaskClient(hub);
        if (id is not null)
        {
            var state = await client.GetInstanceAsync(id, getHistory: true, token);
            if (state is null)
            {
                Console.Error.WriteLine($"error: no run with the id '{id}' in {path}.");
                return 1;
            }
            Console.WriteLine($"{state.InstanceId}  {state.Name}  {state.RuntimeStatus}");
            Console.WriteLine($"created {state.CreatedAt:u}, last updated {state.LastUpdatedAt:u}, {state.History?.Count ?? 0} history events");
            if (state.ReadCustomStatusAs<PipelineStatus>() is { } stage)
            {
                Console.WriteLine($"stage: {stage.Stage} ({stage.Done}/{stage.Total})");
            }
            if (state.FailureDetails?.Root is { } failure)
            {
                Console.WriteLine($"failure: {failure.ErrorType}: {failure.ErrorMessage}");
            }
            return 0;
        }

        var rows = new List<string[]> { new[] { "run", "orchestration", "status", "stage", "created (UTC)", "last update (UTC)" } };
        string? next = null;
        do
        {
            var page = await client.QueryInstancesAsync(new OrchestrationQuery { PageSize = 200, ContinuationToken = next }, token);
            foreach (var i in page.Instances)
            {
                var stage = i.Name == PipelineOrchestrator.Name ? i.ReadCustomStatusAs<PipelineStatus>()?.Stage : null;
                rows.Add([i.InstanceId, i.Name, i.RuntimeStatus.ToString(), stage ?? "-",
                    i.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), i.LastUpdatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)]);
            }
            next = page.ContinuationToken;
        }
        while (next is not null);
        if (rows.Count == 1)
        {
            Console.WriteLine($"No runs in {path}.");
            return 0;
        }
        // Plain aligned columns: easy to read and to grep, whatever the terminal width.
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }
        return 0;
    }
}
