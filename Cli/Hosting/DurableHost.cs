using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HmRec.Cli.Hosting;

/// <summary>
/// One process's view of the task hub: DTFx's Azure Storage backend configured from host.json's durable settings,
/// the SDK client over it, and, once started, the SDK worker running this process's orchestrators and activities
/// (<c>hmrec run</c>, <c>serve</c> and <c>worker</c> all host the same ones). With no <c>AzureWebJobsStorage</c> the
/// account is the store's embedded Azurite.
/// </summary>
internal sealed class DurableHost : IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService service;
    private readonly ILoggerFactory loggerFactory;
    private ServiceProvider? provider;
    private HttpClient? http;
    private TaskHubWorkerService? worker;

    private DurableHost(AzureStorageOrchestrationService service, StorageConnection account, EmbeddedAzurite? azurite, string workerId, ILoggerFactory loggerFactory)
    {
        this.service = service;
        this.loggerFactory = loggerFactory;
        Account = account;
        Azurite = azurite;
        WorkerId = workerId;
        Client = new TaskHubDurableClient(service);
    }

    /// <summary>The SDK client of the hub.</summary>
    public TaskHubDurableClient Client { get; }

    /// <summary>The storage account (the embedded Azurite when no account was set).</summary>
    public StorageConnection Account { get; }

    /// <summary>The embedded Azurite, when the host uses it.</summary>
    public EmbeddedAzurite? Azurite { get; }

    /// <summary>The storage clients' transport: other clients of the same account share it, and close with the host.</summary>
    public HttpPipelineTransport Transport { get; private init; } = null!;

    /// <summary>This process's worker id on the hub: machine, process and a random part, so that two processes never share one.</summary>
    public string WorkerId { get; }

    /// <summary>Opens the hub on the account of <paramref name="connectionString"/>; see <see cref="OpenAsync(DurableTaskOptions, StorageConnection?, string, ILoggerFactory?, CancellationToken)"/>.</summary>
    public static Task<DurableHost> OpenAsync(DurableTaskOptions settings, string? connectionString, string store, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default) =>
        OpenAsync(settings, connectionString is null ? null : StorageConnection.FromConnectionString(connectionString, "AzureWebJobsStorage"), store, loggerFactory, cancellationToken);

    /// <summary>
    /// Opens the hub of <paramref name="settings"/> on <paramref name="account"/> (a connection string or identity-based), or on
    /// <paramref name="store"/>'s embedded Azurite (started or found) when it is null; creates the hub's queues, tables and
    /// containers if missing.
    /// </summary>
    public static async Task<DurableHost> OpenAsync(DurableTaskOptions settings, StorageConnection? account, string store, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        loggerFactory ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        EmbeddedAzurite? azurite = null;
        if (account is null)
        {
            azurite = await EmbeddedAzurite.StartOrFindAsync(store, cancellationToken).ConfigureAwait(false);
            account = StorageConnection.FromConnectionString(azurite.ConnectionString, "the embedded Azurite");
        }
        var workerId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        // The storage clients get a transport of their own, so that closing the host closes its connections: Azurite's
        // graceful stop waits for open connections, and Azure.Core's shared transport would keep them open.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) });
        var transport = new HttpClientTransport(http);
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = ClientProvider(account, transport),
            TaskHubName = settings.HubName,
            WorkerId = workerId,
            PartitionCount = settings.PartitionCount,
            ControlQueueBatchSize = settings.ControlQueueBatchSize,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = settings.WorkItemQueueVisibilityTimeout,
            ControlQueueVisibilityTimeout = settings.ControlQueueVisibilityTimeout,
            UseTablePartitionManagement = settings.UseTablePartitionManagement,
            // A start under the id of a running instance fails instead of being dropped silently.
            ThrowExceptionOnInvalidDedupeStatus = true,
            ExtendedSessionsEnabled = settings.ExtendedSessionsEnabled,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentOrchestratorFunctions,
            LoggerFactory = loggerFactory,
        });
        try
        {
            await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (Cause(e) is { } cause)
        {
            http.Dispose();
            throw new IOException($"the storage account of {account.Description} {cause}", e);
        }
        return new DurableHost(service, account, azurite, workerId, loggerFactory) { http = http, Transport = transport };
    }

    /// <summary>What went wrong with the account, in a few words, when <paramref name="e"/> (or an exception inside it) says; else null.</summary>
    private static string? Cause(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case Azure.Identity.AuthenticationFailedException a:
                    return $"gave no token: {a.Message.Split('\n', 2)[0].Trim()}";
                case Azure.RequestFailedException { Status: 401 or 403 } r:
                    return $"refused the credentials ({r.Status} {r.ErrorCode})";
                case Azure.RequestFailedException { Status: 0 } r:
                    return $"cannot be reached ({r.InnerException?.Message ?? r.Message})";
            }
        }
        return null;
    }

    /// <summary>DTFx's clients of the account's blobs, queues and tables, with its connection string or its identity.</summary>
    private static StorageAccountClientProvider ClientProvider(StorageConnection account, HttpPipelineTransport transport)
    {
        if (account.ConnectionString is { } connectionString)
        {
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connectionString, new BlobClientOptions { Transport = transport }),
                StorageServiceClientProvider.ForQueue(connectionString, new QueueClientOptions { Transport = transport }),
                StorageServiceClientProvider.ForTable(connectionString, new TableClientOptions { Transport = transport }));
        }
        if (account.QueueServiceUri is null || account.TableServiceUri is null)
        {
            throw new ArgumentException($"The task hub needs the account's queue and table endpoints besides {account.Description}: set AzureWebJobsStorage__accountName, or __queueServiceUri and __tableServiceUri.");
        }
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(account.BlobServiceUri!, account.Credential!, new BlobClientOptions { Transport = transport }),
            StorageServiceClientProvider.ForQueue(account.QueueServiceUri, account.Credential!, new QueueClientOptions { Transport = transport }),
            StorageServiceClientProvider.ForTable(account.TableServiceUri, account.Credential!, new TableClientOptions { Transport = transport }));
    }

    /// <summary>Starts this process's worker on the hub with the orchestrators and activities <paramref name="register"/> adds.</summary>
    /// <param name="register">Adds the orchestrators and activities.</param>
    /// <param name="activityRan">Called after each activity this worker ran (name, seconds, failed); optional.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public async Task StartWorkerAsync(Action<DurableTaskRegistry> register, Action<string, double, bool>? activityRan = null, CancellationToken cancellationToken = default)
    {
        if (worker is not null)
        {
            throw new InvalidOperationException("The worker is already started.");
        }
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<IOrchestrationService>(service);
        services.AddDurableTaskWorker(builder => builder.AddTasks(register).UseBuildTarget<TaskHubWorkerService>());
        provider = services.BuildServiceProvider();
        worker = provider.GetServices<IHostedService>().OfType<TaskHubWorkerService>().Single();
        worker.ActivityRan = activityRan;
        await worker.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the worker: running work items get <paramref name="grace"/> to finish; those still running after it are
    /// left to the queues' visibility timeouts and run again on the next worker.
    /// </summary>
    public async Task StopWorkerAsync(TimeSpan grace)
    {
        if (worker is { } w)
        {
            worker = null;
            w.StopGrace = grace;
            await w.StopAsync(CancellationToken.None).ConfigureAwait(false);
            w.Dispose();
        }
        if (provider is { } p)
        {
            provider = null;
            await p.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the worker (10 s grace), then releases this process's lease on the embedded Azurite, which stops it when no
    /// other HmRec process uses it.
    /// </summary>
    public async Task CloseAsync(TimeSpan? grace = null)
    {
        await StopWorkerAsync(grace ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        service.Dispose();
        http?.Dispose();
        if (Azurite is { } azurite)
        {
            await azurite.ReleaseAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopWorkerAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
}
