namespace HmRec.Cli.Commands;

/// <summary><c>hmrec status</c>: the runs in a store's task hub, or one run in detail.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var store = new Option<DirectoryInfo?>("--store") { Description = "Store folder whose embedded Azurite holds the task hub (default: HMREC_STORE, else .hmrec; ignored when AzureWebJobsStorage is set)." };
        var id = new Option<string?>("--id") { Description = "One run id: show its status, stage, output or failure, and history length." };
        var command = new Command("status", "List the runs in the store's task hub, or show one.") { store, id };
        command.SetAction(async (parse, token) => await RunAsync(parse.GetValue(store)?.FullName, parse.GetValue(id), token));
        return command;
    }

    private static async Task<int> RunAsync(string? storeDirectory, string? id, CancellationToken token)
    {
        if (CliSettings.Load() is not { } settings)
        {
            return 2;
        }
        var store = storeDirectory ?? Path.GetFullPath(settings.App.Store);
        if (settings.App.Storage is null && !Directory.Exists(Path.Combine(store, "azurite")))
        {
            Console.Error.WriteLine($"error: no task hub in {store}; run 'hmrec run' first, or pass --store.");
            return 2;
        }
        DurableHost host;
        try
        {
            host = await DurableHost.OpenAsync(settings.DurableTask, settings.App.Storage, store, cancellationToken: token);
        }
        catch (Exception e) when (e is ArgumentException or IOException or Azure.RequestFailedException)
        {
            // A refused credential or an unreachable account: one line that says which, never a stack trace.
            Console.Error.WriteLine($"error: cannot open the task hub {settings.DurableTask.HubName}: {e.Message.Split('\n', 2)[0].Trim()}");
            return 2;
        }
        try
        {
            return await ShowAsync(host.Client, settings.DurableTask.HubName, id, token);
        }
        finally
        {
            // An Azurite started only to answer this is stopped again; one that a run or a host uses stays.
            await host.CloseAsync();
        }
    }

    private static async Task<int> ShowAsync(TaskHubDurableClient client, string hub, string? id, CancellationToken token)
    {
        if (id is not null)
        {
            var state = await client.GetInstanceAsync(id, getInputsAndOutputs: true, token);
            if (state is null)
            {
                Console.Error.WriteLine($"error: no run with the id '{id}' in the task hub {hub}.");
                return 1;
            }
            var history = await client.GetHistoryAsync(id);
            Console.WriteLine($"{state.InstanceId}  {state.Name}  {state.RuntimeStatus}");
            Console.WriteLine($"created {state.CreatedAt:u}, last updated {state.LastUpdatedAt:u}, {history.Count} history events");
            if (state.ReadCustomStatusAs<PipelineStatus>() is { } stage)
            {
                Console.WriteLine($"stage: {stage.Stage} ({stage.Done}/{stage.Total})");
            }
            if (state.RuntimeStatus == OrchestrationRuntimeStatus.Failed)
            {
                Console.WriteLine("failure: " + RunCommand.UserMessage(state)["error: ".Length..]);
            }
            // A finished pipeline: how long each stage took, the metrics, and where its report and submission are.
            if (state is { Name: PipelineOrchestrator.Name, RuntimeStatus: OrchestrationRuntimeStatus.Completed } && state.ReadOutputAs<PipelineResult>() is { } result)
            {
                RunCommand.Report(result, verbose: false);
            }
            return 0;
        }

        var rows = new List<string[]> { new[] { "run", "orchestration", "status", "stage", "created (UTC)", "last update (UTC)" } };
        await foreach (var i in client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 200 }).WithCancellation(token))
        {
            var stage = i.Name == PipelineOrchestrator.Name ? i.ReadCustomStatusAs<PipelineStatus>()?.Stage : null;
            rows.Add([i.InstanceId, i.Name, i.RuntimeStatus.ToString(), stage ?? "-",
                i.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), i.LastUpdatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)]);
        }
        if (rows.Count == 1)
        {
            Console.WriteLine($"No runs in the task hub {hub}.");
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
