using System.Text.Json;
using HmRec.Shared.Blob;

namespace HmRec.Shared.Options;

/// <summary>
/// Settings of a host, read as Azure Functions reads them: host.json, then local.settings.json
/// <c>Values</c>, then environment variables of the same names (which win). host.json values can be
/// overridden by <c>AzureFunctionsJobHost__extensions__durableTask__hubName</c>-style variables.
/// </summary>
public sealed record HostSettings(DurableTaskOptions DurableTask, AppSettings App)
{
    private const string HostOverridePrefix = "AzureFunctionsJobHost__extensions__durableTask__";

    /// <summary>Loads and validates the settings found in <paramref name="directory"/>.</summary>
    public static HostSettings Load(string directory, IReadOnlyDictionary<string, string?> environment)
    {
        var durable = LoadDurableTask(directory, environment);

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        int? port = null;
        var localSettings = Path.Combine(directory, "local.settings.json");
        if (File.Exists(localSettings))
        {
            using var doc = Parse(localSettings);
            if (Find(doc.RootElement, "Values") is { ValueKind: JsonValueKind.Object } v)
            {
                foreach (var p in v.EnumerateObject())
                {
                    values[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => p.Value.GetRawText(),
                    };
                }
            }
            port = Find(doc.RootElement, "Host") is { } host ? Int(host, "LocalHttpPort", localSettings) : null;
        }
        foreach (var (key, value) in environment)
        {
            values[key] = value;
        }
        string? Value(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;

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

    /// <summary>
    /// host.json's <c>extensions.durableTask</c>, each value overridable by the environment variable
    /// <c>AzureFunctionsJobHost__extensions__durableTask__{path with __}</c>.
    /// </summary>
    private static DurableTaskOptions LoadDurableTask(string directory, IReadOnlyDictionary<string, string?> environment)
    {
        var hostJson = Path.Combine(directory, "host.json");
        using var doc = File.Exists(hostJson) ? Parse(hostJson) : null;
        var section = doc is null ? null : Find(doc.RootElement, "extensions", "durableTask");

        // A setting's raw text (string or number or bool), environment first; null when absent.
        string? Raw(string path)
        {
            if (Env(environment, HostOverridePrefix + path.Replace(".", "__", StringComparison.Ordinal)) is { } fromEnv)
            {
                return fromEnv;
            }
            return section is { } dt && Find(dt, path.Split('.')) is { } v
                ? v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
                    _ => throw new ArgumentException($"{hostJson}: extensions.durableTask.{path} must be a string, number or boolean."),
                }
                : null;
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

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static JsonElement? Find(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var next = element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (next.Value.ValueKind == JsonValueKind.Undefined)
            {
                return null;
            }
            element = next.Value;
        }
        return element;
    }

    private static int? Int(JsonElement element, string name, string file) => Find(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var i) => i,
        _ => throw new ArgumentException($"{file}: '{name}' must be a whole number."),
    };

    private static string? Env(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;

    private static int ParsePort(string value) =>
        int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : throw new ArgumentException($"HMREC_HTTP_PORT must be a whole number (got '{value}').");
}
