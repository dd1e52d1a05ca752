namespace HmRec.Cli.Commands;

/// <summary>
/// <c>hmrec worker</c>: a process that only executes the task hub's work items (orchestration episodes and
/// activities), so that more processes or machines share a run that <c>hmrec run</c> or <c>hmrec serve</c> started.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var store = new Option<DirectoryInfo?>("--store") { Description = "Store folder whose embedded Azurite holds the task hub, when AzureWebJobsStorage is not set (default: HMREC_STORE, else .hmrec)." };
        var command = new Command("worker", "Execute the task hub's orchestrations and activities until Ctrl+C or SIGTERM (more workers share the work).") { store };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CliSettings.Load() is not { } settings)
            {
                return 2;
            }
            var directory = parse.GetValue(store)?.FullName ?? Path.GetFullPath(settings.App.Store);
            using var loggers = ConsoleErrorLogger.Factory(Path.Combine(directory, "logs", $"worker-{Environment.ProcessId}.log"), ConsoleErrorLogger.HmRecLog(directory));
            DurableHost host;
            Activities.Common.RunStorage? storage;
            Activities.Training.TwoTower.ContainerAppsJob? gpuJob;
            try
            {
                storage = await Host.HttpHost.Blobs(settings);
                gpuJob = Host.HttpHost.GpuJob(settings, storage);
                host = await DurableHost.OpenAsync(settings.DurableTask, settings.App.Storage, directory, loggers, cancellationToken);
            }
            catch (Exception e) when (e is ArgumentException or IOException or Azure.RequestFailedException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
                return 2;
            }
            var client = host.Client;
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Activities.Common.AnalyticsSession.ShareMachine(settings.DurableTask.MaxConcurrentActivityFunctions);
            await host.StartWorkerAsync(registry => PipelineRegistry.Register(registry, new PipelineActivities(null, client, storage, stopping.Token, gpuJob, loggers)),
                (name, seconds, failed) => Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"activity {name} {(failed ? "failed" : "done")} in {seconds:F1} s")));
            Console.WriteLine($"HmRec worker {host.WorkerId} on task hub {settings.DurableTask.HubName} ({(host.Azurite is null ? "AzureWebJobsStorage" : $"Azurite of {directory}")}); Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            Console.WriteLine("Stopping: running activities get 30 s to finish; the rest run again on another worker.");
            // The embedded Azurite stops only when no other process (a run, serve, another worker) uses it.
            // Bounded like serve's stop: when the storage is gone, closing would wait on its retries.
            var close = host.CloseAsync(TimeSpan.FromSeconds(20));
            return await Task.WhenAny(close, Task.Delay(TimeSpan.FromSeconds(28), CancellationToken.None)) == close ? 0 : 1;
        });
        return command;
    }
}
