namespace HmRec.Cli.Commands;

/// <summary>
/// <c>hmrec serve</c>, this project's <c>func start</c>: reads host.json, local.settings.json and the
/// environment, and runs the HTTP host with its durable worker until Ctrl+C or SIGTERM.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "Port on 127.0.0.1 (default: Host.LocalHttpPort or HMREC_HTTP_PORT, else 7071)." };
        var urls = new Option<string[]>("--urls") { Description = "Listen addresses instead of --port (loopback only), e.g. http://127.0.0.1:8080.", AllowMultipleArgumentsPerToken = true };
        var store = new Option<DirectoryInfo?>("--store") { Description = "Folder for the task hub, the runs and the host keys (default: HMREC_STORE, else .hmrec)." };
        var dataRoots = new Option<DirectoryInfo[]>("--data-root") { Description = "A folder start requests may read data from, besides the store's data folder (repeatable; HMREC_DATA_ROOTS replaces them all)." };
        var command = new Command("serve", "Run the HTTP host (POST /api/pipelines, the Durable management API) and the durable worker.") { port, urls, store, dataRoots };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CliSettings.Load() is not { } settings)
            {
                return 2;
            }
            var listen = parse.GetValue(urls) is { Length: > 0 } given ? given : [$"http://127.0.0.1:{parse.GetValue(port) ?? settings.App.HttpPort}"];
            var directory = parse.GetValue(store)?.FullName ?? Path.GetFullPath(settings.App.Store);
            HttpHost host;
            try
            {
                host = await HttpHost.StartAsync(settings, directory, listen, new ConsoleErrorLogger.Provider(Path.Combine(directory, "logs", "taskhub.log"), ConsoleErrorLogger.HmRecLog(directory)),
                    [.. (parse.GetValue(dataRoots) ?? []).Select(d => d.FullName)]);
            }
            catch (Exception e) when (e is ArgumentException or IOException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            Console.WriteLine($"HmRec host on {host.BaseAddress} (task hub {settings.DurableTask.HubName} in {directory}).");
            Console.WriteLine($"  POST {host.BaseAddress}api/pipelines            (x-functions-key: the function key)");
            Console.WriteLine($"  GET  {host.BaseAddress}runtime/webhooks/durabletask/instances/{{id}}   (the system key)");
            Console.WriteLine(settings.App.FunctionKey is null || settings.App.SystemKey is null
                ? $"Keys not set in the settings are kept in {Path.Combine(directory, FunctionKeys.File)}."
                : "Keys: HMREC_FUNCTION_KEY and HMREC_SYSTEM_KEY from the settings.");
            await host.WaitForShutdownAsync(cancellationToken);
            Console.WriteLine("Stopping: running activities finish or are released (30 s at most).");
            // Stopping talks to the storage (the worker gives back its leases and messages): when the storage is gone it
            // would wait on retries, so the whole stop is bounded and the process ends at the deadline regardless.
            var stop = Task.Run(async () =>
            {
                await host.StopAsync(TimeSpan.FromSeconds(20));
                await host.DisposeAsync();
            }, CancellationToken.None);
            if (await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(28), CancellationToken.None)) != stop)
            {
                Console.Error.WriteLine("error: the host did not stop cleanly within 28 s (is its storage gone?); stopped anyway. Running activities run again on the next worker.");
                return 1;
            }
            return 0;
        });
        return command;
    }
}
