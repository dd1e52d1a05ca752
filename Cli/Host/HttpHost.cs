using HmRec.Cli.Timers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HmRec.Cli.Host;

/// <summary>
/// <c>hmrec serve</c>'s host: Kestrel on loopback with the HTTP routes both hosts share (<see cref="ApiRoutes"/>) and the
/// Durable HTTP management API (<see cref="ManagementApi"/>), a durable worker on the task hub (AzureWebJobsStorage's
/// account, or the store's embedded Azurite) with host.json's settings, and the weekly retrain timer
/// (<see cref="RetrainTimer"/>). Stopping it stops Kestrel, then the worker, which lets running activities finish
/// within the grace period (those still running are left to the queue's visibility timeout), then the embedded Azurite.
/// </summary>
internal sealed class HttpHost : IAsyncDisposable, IApiHost
{
    /// <summary>The blob container of the runs (<c>runs/{id}/</c>) and of uploaded input data (<c>data/</c>).</summary>
    public const string Container = "hmrec";

    private readonly WebApplication app;
    private readonly DurableHost durable;
    private readonly CancellationTokenSource stopping = new();
    private Task timer = Task.CompletedTask;

    private HttpHost(WebApplication app, DurableHost durable, FunctionKeys keys, string storeDirectory, HostSettings settings, PipelineStarter starter)
    {
        Settings = settings;
        Starter = starter;
        this.app = app;
        this.durable = durable;
        Client = durable.Client;
        Keys = keys;
        StoreDirectory = storeDirectory;
    }

    public TaskHubDurableClient Client { get; }

    public FunctionKeys Keys { get; }

    public string StoreDirectory { get; }

    public HostSettings Settings { get; }

    /// <summary>The front door both hosts share: starts, the retrain rule, health and reports.</summary>
    public PipelineStarter Starter { get; }

    /// <summary>Blob storage for the runs' artefacts and input, when AzureWebJobsStorage names an account.</summary>
    public RunStorage? Storage => Starter.Settings.Storage;

    public string HubName => Settings.DurableTask.HubName;

    /// <summary>The champion's recommendations this host serves.</summary>
    public Activities.Champion.ChampionServing Champion { get; private init; } = null!;

    /// <summary>202 with the management URLs of this host and <c>Location</c>, as a Durable Functions HTTP starter answers.</summary>
    public IResult Started(HttpContext http, string instanceId)
    {
        var uris = ManagementApi.Uris(PublicBase, Keys, instanceId);
        http.Response.Headers.Location = uris.StatusQueryGetUri;
        return Results.Json(uris, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Where run folders live on this machine: the store, or its scratch folder when runs live in blobs.</summary>
    public string RunsRoot => Starter.Settings.RunsRoot;

    /// <summary>Every route this host maps: its pattern (without the leading '/') and its HTTP methods.</summary>
    internal IReadOnlyList<(string Pattern, IReadOnlyList<string> Methods)> Routes =>
        [.. app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Select(e => (e.RoutePattern.RawText!.TrimStart('/'), (IReadOnlyList<string>)(e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])))];

    /// <summary>The address Kestrel listens on (the real port when 0 was asked for).</summary>
    public Uri BaseAddress => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Where clients reach this host: <c>HMREC_PUBLIC_BASE_URL</c> (or the site's host name on Azure), else <see cref="BaseAddress"/>.</summary>
    public Uri PublicBase => Settings.App.PublicBaseUrl is { } url ? new Uri(url) : BaseAddress;

    /// <summary>
    /// Starts the worker and Kestrel on <paramref name="urls"/> (loopback addresses only). Start requests may read data
    /// from <paramref name="dataRoots"/> and the store's data folder, unless HMREC_DATA_ROOTS says otherwise.
    /// </summary>
    public static async Task<HttpHost> StartAsync(HostSettings settings, string storeDirectory, IReadOnlyList<string> urls, ILoggerProvider? logs = null,
        IReadOnlyList<string>? dataRoots = null)
    {
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http" || !(uri.IsLoopback || uri.Host == "localhost"))
            {
                throw new ArgumentException($"--urls: '{url}' is not an http:// address on the loopback interface (127.0.0.1, [::1] or localhost).");
            }
        }
        var (schedule, zone) = Schedule(settings);
        var retrainOptions = StarterSettings.ParseRetrainOptions(settings.App.RetrainOptions);
        var storage = await Blobs(settings);
        var gpuJob = GpuJob(settings, storage);
        Directory.CreateDirectory(storeDirectory);
        var keys = FunctionKeys.Load(storeDirectory, settings.App.FunctionKey, settings.App.SystemKey);
        var loggers = LoggerFactory.Create(b =>
        {
            b.ClearProviders().SetMinimumLevel(LogLevel.Information);
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        DurableHost durable;
        try
        {
            durable = await DurableHost.OpenAsync(settings.DurableTask, settings.App.Storage, storeDirectory, loggers);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or InvalidOperationException)
        {
            throw new IOException($"the task hub {settings.DurableTask.HubName} cannot be opened: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        var client = durable.Client;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = settings.App.Limits.MaxRequestBodyBytes;
        });
        // Requests must name this host: the loopback names it listens on, or the configured public address.
        builder.Services.AddHostFiltering(o =>
        {
            o.AllowedHosts = ["localhost", "127.0.0.1", "[::1]", .. settings.App.PublicBaseUrl is { } u ? [new Uri(u).Host] : Array.Empty<string>()];
            o.IncludeFailureMessage = true;
        });
        var app = builder.Build();
        app.UseHostFiltering();
        // Every error status without a body of its own (an unknown route, a method not allowed...) gets one.
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            var request = context.HttpContext.Request;
            var path = request.Path.Value is { Length: > 200 } text ? text[..200] + "..." : request.Path.Value;
            await response.WriteAsJsonAsync(new ApiError(response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"No route matches {request.Method} {path}.",
                StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {path}.",
                StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                StatusCodes.Status415UnsupportedMediaType => "The request's content type is not supported here.",
                var code => $"The request was refused ({code}).",
            }));
        });
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(MonitorPage.Path, StringComparison.OrdinalIgnoreCase))
            {
                // The page runs its own inline script and styles and talks only to this host.
                context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
                context.Response.Headers.XFrameOptions = "DENY";
                context.Response.Headers.XContentTypeOptions = "nosniff";
            }
            await next(context);
        });
        var starter = new PipelineStarter(client, new StarterSettings(storeDirectory, settings.App.DataConnection, storage, settings.App.Limits,
            DataRoots.For(settings.App.Limits.DataRoots, storeDirectory, dataRoots)) { RetrainOptions = retrainOptions });
        var host = new HttpHost(app, durable, keys, storeDirectory, settings, starter)
        {
            Champion = new Activities.Champion.ChampionServing(Activities.Champion.ChampionStore.In(starter.Settings.RunsRoot, storage?.Mirror.Client)),
        };
        app.Use((context, next) => Authorise(context, next, keys));
        foreach (var route in ApiRoutes.Registered)
        {
            app.MapMethods("/api/" + route.Template, [route.Method], (Delegate)((HttpContext http) => route.HandleAsync(http, host)));
        }
        ManagementApi.Map(app, host);
        app.MapGet(MonitorPage.Path, () => Results.Content(MonitorPage.Html.Value, "text/html; charset=utf-8"));
        var claims = new OccurrenceClaims(durable.Account, settings.DurableTask.HubName, new Azure.Storage.Blobs.BlobClientOptions { Transport = durable.Transport });
        var retrain = new RetrainTimer(schedule, zone, Path.Combine(storeDirectory, "timers", "retrain.json"),
            (occurrence, cancellationToken) => starter.RetrainAsync(occurrence, claims.ClaimAsync, cancellationToken));
        try
        {
            AnalyticsSession.ShareMachine(settings.DurableTask.MaxConcurrentActivityFunctions);
            await durable.StartWorkerAsync(registry => PipelineRegistry.Register(registry, new PipelineActivities(null, client, storage, gpuJob: gpuJob, loggers: loggers)));
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
        await durable.StopWorkerAsync(grace);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await timer.ContinueWith(_ => { }, TaskScheduler.Default);
        stopping.Dispose();
        await app.DisposeAsync();
        await durable.CloseAsync();
    }

    /// <summary>The blob storage of AzureWebJobsStorage, checked at start (a refused key or an unreachable endpoint fails at once); null when the setting is empty.</summary>
    internal static async Task<RunStorage?> Blobs(HostSettings settings)
    {
        if (settings.App.Storage is not { } account)
        {
            return null;
        }
        try
        {
            return new RunStorage(new BlobMirror(await BlobStorage.OpenContainerAsync(account, Container)));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"AzureWebJobsStorage: {e.Message}", e);
        }
    }

    /// <summary>The Container Apps job the two-tower network trains on (HMREC_TWO_TOWER_BACKEND=containerapps), or null for a local worker process.</summary>
    internal static Activities.Training.TwoTower.ContainerAppsJob? GpuJob(HostSettings settings, RunStorage? storage)
    {
        var app = settings.App;
        string? Value(string name) => name switch
        {
            Activities.Training.TwoTower.ContainerAppsJobSettings.BackendSetting => app.TwoTowerBackend,
            Activities.Training.TwoTower.ContainerAppsJobSettings.JobIdSetting => app.GpuJobId,
            Activities.Training.TwoTower.ContainerAppsJobSettings.EndpointSetting => app.ArmEndpoint,
            _ => null,
        };
        return Activities.Training.TwoTower.ContainerAppsJobSettings.ForBackend(Value, storage is not null)?.Connect(storage!.Mirror.Client, app.AzureClientId);
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

    /// <summary>The keyless routes (the health probe) and the monitor page (which holds no data) are open; /api/* need the function key (or the system key); /runtime/* the system key.</summary>
    private static Task Authorise(HttpContext context, RequestDelegate next, FunctionKeys keys)
    {
        var path = context.Request.Path;
        if (ApiRoutes.Registered.Any(r => !r.Keyed && path.Equals("/api/" + r.Template, StringComparison.OrdinalIgnoreCase)) || (path.Equals(MonitorPage.Path, StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(context.Request.Method)))
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
        return context.Response.WriteAsJsonAsync(new ApiError(given is null
            ? $"A key is required: the {FunctionKeys.Header} header or the code query parameter."
            : "The key is not valid for this route."));
    }
}

