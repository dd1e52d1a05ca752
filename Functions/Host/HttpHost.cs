using System.Net;
using HmRec.Durable.Client;
using HmRec.Durable.Model;
using HmRec.Durable.Runtime;
using HmRec.Durable.Stores.Sqlite;
using HmRec.Functions.Timers;
using HmRec.Orchestrators;
using HmRec.Orchestrators.Pipeline;
using HmRec.Shared.Synthetic;
using HmRec.Shared.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HmRec.Functions.Host;

/// <summary>
/// <c>hmrec serve</c>'s host: Kestrel on loopback with the HTTP triggers (<see cref="PipelinesApi"/>) and the
/// Durable HTTP management API (<see cref="ManagementApi"/>), and an in-process durable worker on the
/// store's SQLite task hub with host.json's limits, and the weekly retrain timer (<see cref="RetrainTimer"/>). Stopping it stops Kestrel, then the worker, which lets
/// running activities finish (or releases them) within the grace period.
/// </summary>
internal sealed class HttpHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SqliteDurableStore store;
    private readonly DurableWorker worker;
    private readonly CancellationTokenSource stopping = new();
    private Task timer = Task.CompletedTask;

    private HttpHost(WebApplication app, SqliteDurableStore store, DurableWorker worker, DurableTaskClient client, FunctionKeys keys, string storeDirectory)
    {
        this.app = app;
        this.store = store;
        this.worker = worker;
        Client = client;
        Keys = keys;
        StoreDirectory = storeDirectory;
    }

    public DurableTaskClient Client { get; }

    public FunctionKeys Keys { get; }

    public string StoreDirectory { get; }

    /// <summary>The address Kestrel listens on (the real port when 0 was asked for).</summary>
    public Uri BaseAddress => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Starts the worker and Kestrel on <paramref name="urls"/> (loopback addresses only).</summary>
    public static async Task<HttpHost> StartAsync(HostSettings settings, string storeDirectory, IReadOnlyList<string> urls, ILoggerProvider? logs = null)
    {
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http" || !(uri.IsLoopback || uri.Host == "localhost"))
            {
                throw new ArgumentException($"--urls: '{url}' is not an http:// address on the loopback interface (127.0.0.1, [::1] or localhost).");
            }
        }
        var (schedule, zone) = Schedule(settings);
        Directory.CreateDirectory(storeDirectory);
        var keys = FunctionKeys.Load(storeDirectory, settings.App.FunctionKey, settings.App.SystemKey);
        var store = new SqliteDurableStore(Path.Combine(storeDirectory, "taskhub.db"));
        var client = new DurableTaskClient(store);
        var registry = PipelineRegistry.Register(new DurableTaskRegistry(), null,
            (instance, name, payload) => client.RaiseEventAsync(instance, name, payload, CancellationToken.None));
        var worker = new DurableWorker(registry, store, new DurableWorkerOptions
        {
            MaxConcurrentActivities = settings.DurableTask.MaxConcurrentActivityFunctions,
            MaxConcurrentOrchestrations = settings.DurableTask.MaxConcurrentOrchestratorFunctions,
            ActivityLease = TimeSpan.FromSeconds(10),
            OrchestrationLease = TimeSpan.FromSeconds(10),
        });

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        var app = builder.Build();
        var host = new HttpHost(app, store, worker, client, keys, storeDirectory);
        app.Use((context, next) => Authorise(context, next, keys));
        PipelinesApi.Map(app, host, settings);
        ManagementApi.Map(app, host);
        var retrain = new RetrainTimer(client, schedule, zone, Path.Combine(storeDirectory, "timers", "retrain.json"), async id =>
        {
            var data = Directory.Exists(settings.App.DataConnection) ? settings.App.DataConnection
                : PipelineRuns.GeneratedData(storeDirectory, SyntheticOptions.Default, _ => { });
            var run = PipelineRuns.Prepare(data, storeDirectory, new PipelineOptions(), null, id);
            await client.ScheduleNewOrchestrationInstanceAsync(PipelineOrchestrator.Name, run, new StartOrchestrationOptions(id));
        });
        try
        {
            await worker.StartAsync(CancellationToken.None);
            await app.StartAsync();
            host.timer = retrain.RunAsync(host.stopping.Token);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>Completes on <paramref name="cancellationToken"/> or when the host stops on a signal (SIGTERM, Ctrl+C).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource();
        var registrations = new[]
        {
            cancellationToken.Register(() => stopped.TrySetResult()),
            app.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult()),
        };
        return stopped.Task.ContinueWith(_ =>
        {
            foreach (var r in registrations)
            {
                r.Dispose();
            }
        }, TaskScheduler.Default);
    }

    /// <summary>Stops accepting requests, then lets running activities finish or releases them.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        await stopping.CancelAsync();
        await timer.ContinueWith(_ => { }, TaskScheduler.Default);
        await app.StopAsync(timeout.Token);
        await worker.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await timer.ContinueWith(_ => { }, TaskScheduler.Default);
        stopping.Dispose();
        await app.DisposeAsync();
        await worker.DisposeAsync();
        store.Dispose();
    }

    /// <summary>The retrain schedule and its time zone, checked at start with messages that name the setting.</summary>
    private static (CrontabSchedule Schedule, TimeZoneInfo Zone) Schedule(HostSettings settings)
    {
        CrontabSchedule schedule;
        try
        {
            schedule = CrontabSchedule.Parse(settings.App.RetrainSchedule);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"HMREC_RETRAIN_SCHEDULE: {e.Message}", e);
        }
        try
        {
            return (schedule, TimeZoneInfo.FindSystemTimeZoneById(settings.App.TimeZone));
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"WEBSITE_TIME_ZONE: '{settings.App.TimeZone}' is not a time zone this machine knows (an IANA name such as Europe/Stockholm, or UTC).", e);
        }
    }

    /// <summary>/api/health is open; /api/* needs the function key (or the system key); /runtime/* the system key.</summary>
    private static Task Authorise(HttpContext context, RequestDelegate next, FunctionKeys keys)
    {
        var path = context.Request.Path;
        if (path.Equals("/api/health", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }
        var given = context.Request.Headers[FunctionKeys.Header].FirstOrDefault() ?? context.Request.Query["code"].FirstOrDefault();
        var allowed = path.StartsWithSegments("/runtime", StringComparison.OrdinalIgnoreCase)
            ? FunctionKeys.Matches(given, keys.SystemKey)
            : FunctionKeys.Matches(given, keys.FunctionKey) || FunctionKeys.Matches(given, keys.SystemKey);
        if (allowed)
        {
            return next(context);
        }
        context.Response.StatusCode = (int)HttpStatusCode.Unauthorized;
        return context.Response.WriteAsJsonAsync(new ErrorBody(given is null
            ? $"A key is required: the {FunctionKeys.Header} header or the code query parameter."
            : "The key is not valid for this route."));
    }
}

/// <summary>The body of every 4xx answer.</summary>
internal sealed record ErrorBody(string Error);
