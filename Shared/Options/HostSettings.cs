using HmRec.Shared.Blob;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;

namespace HmRec.Shared.Options;

/// <summary>
/// Settings of a host, read as Azure Functions reads them, through configuration providers: host.json, overridden by
/// <c>AzureFunctionsJobHost__extensions__durableTask__hubName</c>-style environment variables; and the app settings
/// of local.settings.json's <c>Values</c>, overridden by environment variables of the same names. Validated at load,
/// with messages that name the setting.
/// </summary>
public sealed record HostSettings(DurableTaskOptions DurableTask, AppSettings App)
{
    private const string HostOverridePrefix = "AzureFunctionsJobHost__";

    /// <summary>Loads and validates the settings found in <paramref name="directory"/>, with <paramref name="environment"/> over them.</summary>
    public static HostSettings Load(string directory, IReadOnlyDictionary<string, string?> environment)
    {
        // host.json, then AzureFunctionsJobHost__{path with __} variables.
        var host = Build(directory, "host.json", b => b.AddInMemoryCollection(environment
            .Where(e => e.Key.StartsWith(HostOverridePrefix, StringComparison.OrdinalIgnoreCase))
            .Select(e => KeyValuePair.Create(e.Key[HostOverridePrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), e.Value))));
        var durable = LoadDurableTask(host.GetSection("extensions:durableTask"), Path.Combine(directory, "host.json"));

        // local.settings.json's Values (and Host.LocalHttpPort), then the environment.
        var localSettings = Path.Combine(directory, "local.settings.json");
        var local = Build(directory, "local.settings.json", _ => { });
        var appSettings = new ConfigurationBuilder()
            .AddInMemoryCollection(local.GetSection("Values").AsEnumerable(makePathsRelative: true))
            .AddInMemoryCollection(environment)
            .Build();
        string? Value(string name) => appSettings[name] is { } v && !string.IsNullOrWhiteSpace(v) ? v : null;
        int? port = local["Host:LocalHttpPort"] is { } localPort
            ? int.TryParse(localPort, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : throw new ArgumentException($"{localSettings}: 'LocalHttpPort' must be a whole number.")
            : null;

        var defaults = new AppSettings();
        var app = new AppSettings
        {
            AzureWebJobsStorage = Value("AzureWebJobsStorage"),
            Storage = StorageConnection.FromSettings("AzureWebJobsStorage", Value),
            TwoTowerBackend = Value("HMREC_TWO_TOWER_BACKEND"),
            GpuJobId = Value("HMREC_GPU_JOB_ID"),
            ArmEndpoint = Value("HMREC_ARM_ENDPOINT"),
            AzureClientId = Value("AZURE_CLIENT_ID"),
            Store = Value("HMREC_STORE") ?? defaults.Store,
            DataConnection = Value("HMREC_DATA_CONNECTION"),
            RetrainSchedule = Value("HMREC_RETRAIN_SCHEDULE") ?? defaults.RetrainSchedule,
            RetrainOptions = Value("HMREC_RETRAIN_OPTIONS"),
            TimeZone = Value("WEBSITE_TIME_ZONE") ?? defaults.TimeZone,
            FunctionKey = Value("HMREC_FUNCTION_KEY"),
            SystemKey = Value("HMREC_SYSTEM_KEY"),
            PublicBaseUrl = Value("HMREC_PUBLIC_BASE_URL") ?? (Value("WEBSITE_HOSTNAME") is { } site ? "https://" + site : null),
            HttpPort = (Value("HMREC_HTTP_PORT") is { } portText ? ParsePort(portText) : port) ?? defaults.HttpPort,
            Limits = HostLimits.FromSettings(Value),
        };
        var settings = new HostSettings(durable, app);
        settings.Validate();
        return settings;
    }

    /// <summary>Checks every value; the message names the setting and what is allowed.</summary>
    public void Validate()
    {
        if (App.PublicBaseUrl is { } baseUrl && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/"))
        {
            throw new ArgumentException($"HMREC_PUBLIC_BASE_URL must be an http:// or https:// address without a path, such as https://hmrec.example.com (got '{baseUrl}').");
        }
        var hub = DurableTask.HubName;
        if (hub.Length is < 3 or > 45 || !char.IsAsciiLetter(hub[0]) || !hub.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"extensions.durableTask.hubName must be 3-45 letters and digits starting with a letter (got '{hub}').");
        }
        Range("maxConcurrentActivityFunctions", DurableTask.MaxConcurrentActivityFunctions, 1, 1000);
        Range("maxConcurrentOrchestratorFunctions", DurableTask.MaxConcurrentOrchestratorFunctions, 1, 1000);
        if (!string.Equals(DurableTask.StorageProvider, "AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"extensions.durableTask.storageProvider.type must be 'AzureStorage', the only backend HmRec runs on (got '{DurableTask.StorageProvider}').");
        }
        Range("storageProvider.partitionCount", DurableTask.PartitionCount, 1, 16);
        Range("storageProvider.controlQueueBatchSize", DurableTask.ControlQueueBatchSize, 1, 32);
        Between("storageProvider.maxQueuePollingInterval", DurableTask.MaxQueuePollingInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        Between("storageProvider.workItemQueueVisibilityTimeout", DurableTask.WorkItemQueueVisibilityTimeout, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));
        Between("storageProvider.controlQueueVisibilityTimeout", DurableTask.ControlQueueVisibilityTimeout, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));
        if (App.HttpPort is < 1 or > 65535)
        {
            throw new ArgumentException($"Host.LocalHttpPort must be between 1 and 65535 (got {App.HttpPort}).");
        }
        if (App.RetrainSchedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
        {
            throw new ArgumentException($"HMREC_RETRAIN_SCHEDULE must be a six-field NCRONTAB expression such as '0 0 3 * * Mon' (got '{App.RetrainSchedule}').");
        }
        foreach (var (name, key) in new[] { ("HMREC_FUNCTION_KEY", App.FunctionKey), ("HMREC_SYSTEM_KEY", App.SystemKey) })
        {
            if (key is not null && key.Length < 16)
            {
                throw new ArgumentException($"{name} must be at least 16 characters long when set.");
            }
        }
    }

    private static void Range(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"extensions.durableTask.{name} must be between {min} and {max} (got {value}).");
        }
    }

    private static void Between(string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"extensions.durableTask.{name} must be between {min:c} and {max:c} (got {value:c}).");
        }
    }

    /// <summary>The configuration of <paramref name="file"/> in <paramref name="directory"/> (absent: empty), then what <paramref name="add"/> adds; a file that is not JSON fails naming it.</summary>
    private static IConfigurationRoot Build(string directory, string file, Action<IConfigurationBuilder> add)
    {
        var path = Path.Combine(directory, file);
        var builder = new ConfigurationBuilder();
        if (File.Exists(path))
        {
            builder.AddJsonFile(new PhysicalFileProvider(Path.GetFullPath(directory)), file, optional: false, reloadOnChange: false);
        }
        add(builder);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new ArgumentException($"{path} is not valid JSON: {(e.InnerException ?? e).Message}", e);
        }
    }

    /// <summary>host.json's <c>extensions.durableTask</c> section (with its overrides), converted and named as host.json names it.</summary>
    private static DurableTaskOptions LoadDurableTask(IConfigurationSection section, string hostJson)
    {
        string? Raw(string path)
        {
            var value = section.GetSection(path.Replace(".", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal));
            if (value.Value is null && value.GetChildren().Any())
            {
                throw new ArgumentException($"{hostJson}: extensions.durableTask.{path} must be a string, number or boolean.");
            }
            return value.Value;
        }
        int? Int(string path) => Raw(path) is { } v
            ? int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : throw new ArgumentException($"extensions.durableTask.{path} must be a whole number (got '{v}').")
            : null;
        bool? Bool(string path) => Raw(path) is { } v
            ? bool.TryParse(v, out var b) ? b : throw new ArgumentException($"extensions.durableTask.{path} must be true or false (got '{v}').")
            : null;
        TimeSpan? Time(string path) => Raw(path) is { } v
            ? TimeSpan.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : throw new ArgumentException($"extensions.durableTask.{path} must be a time span such as '00:00:30' (got '{v}').")
            : null;

        var d = new DurableTaskOptions();
        return new DurableTaskOptions
        {
            HubName = Raw("hubName") ?? d.HubName,
            MaxConcurrentActivityFunctions = Int("maxConcurrentActivityFunctions") ?? d.MaxConcurrentActivityFunctions,
            MaxConcurrentOrchestratorFunctions = Int("maxConcurrentOrchestratorFunctions") ?? d.MaxConcurrentOrchestratorFunctions,
            ExtendedSessionsEnabled = Bool("extendedSessionsEnabled") ?? d.ExtendedSessionsEnabled,
            StorageProvider = Raw("storageProvider.type") ?? d.StorageProvider,
            PartitionCount = Int("storageProvider.partitionCount") ?? d.PartitionCount,
            ControlQueueBatchSize = Int("storageProvider.controlQueueBatchSize") ?? d.ControlQueueBatchSize,
            MaxQueuePollingInterval = Time("storageProvider.maxQueuePollingInterval") ?? d.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = Time("storageProvider.workItemQueueVisibilityTimeout") ?? d.WorkItemQueueVisibilityTimeout,
            ControlQueueVisibilityTimeout = Time("storageProvider.controlQueueVisibilityTimeout") ?? d.ControlQueueVisibilityTimeout,
            UseTablePartitionManagement = Bool("storageProvider.useTablePartitionManagement") ?? d.UseTablePartitionManagement,
        };
    }

    private static int ParsePort(string value) =>
        int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : throw new ArgumentException($"HMREC_HTTP_PORT must be a whole number (got '{value}').");
}
