using System.Text.Json;

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
        var durable = new DurableTaskOptions();
        var hostJson = Path.Combine(directory, "host.json");
        if (File.Exists(hostJson))
        {
            using var doc = Parse(hostJson);
            if (Find(doc.RootElement, "extensions", "durableTask") is { } dt)
            {
                durable = durable with
                {
                    HubName = String(dt, "hubName", hostJson) ?? durable.HubName,
                    MaxConcurrentActivityFunctions = Int(dt, "maxConcurrentActivityFunctions", hostJson) ?? durable.MaxConcurrentActivityFunctions,
                    MaxConcurrentOrchestratorFunctions = Int(dt, "maxConcurrentOrchestratorFunctions", hostJson) ?? durable.MaxConcurrentOrchestratorFunctions,
                    StorageProvider = Find(dt, "storageProvider") is { } sp ? String(sp, "type", hostJson) ?? durable.StorageProvider : durable.StorageProvider,
                };
            }
        }
        durable = durable with
        {
            HubName = Env(environment, HostOverridePrefix + "hubName") ?? durable.HubName,
            MaxConcurrentActivityFunctions = EnvInt(environment, HostOverridePrefix + "maxConcurrentActivityFunctions") ?? durable.MaxConcurrentActivityFunctions,
            MaxConcurrentOrchestratorFunctions = EnvInt(environment, HostOverridePrefix + "maxConcurrentOrchestratorFunctions") ?? durable.MaxConcurrentOrchestratorFunctions,
            StorageProvider = Env(environment, HostOverridePrefix + "storageProvider__type") ?? durable.StorageProvider,
        };

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
            Store = Value("HMREC_STORE") ?? defaults.Store,
            DataConnection = Value("HMREC_DATA_CONNECTION"),
            RetrainSchedule = Value("HMREC_RETRAIN_SCHEDULE") ?? defaults.RetrainSchedule,
            TimeZone = Value("WEBSITE_TIME_ZONE") ?? defaults.TimeZone,
            FunctionKey = Value("HMREC_FUNCTION_KEY"),
            SystemKey = Value("HMREC_SYSTEM_KEY"),
            HttpPort = (Value("HMREC_HTTP_PORT") is { } portText ? ParsePort(portText) : port) ?? defaults.HttpPort,
        };
        var settings = new HostSettings(durable, app);
        settings.Validate();
        return settings;
    }

    /// <summary>Checks every value; the message names the setting and what is allowed.</summary>
    public void Validate()
    {
        var hub = DurableTask.HubName;
        if (hub.Length is < 3 or > 45 || !char.IsAsciiLetter(hub[0]) || !hub.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"extensions.durableTask.hubName must be 3-45 letters and digits starting with a letter (got '{hub}').");
        }
        if (DurableTask.MaxConcurrentActivityFunctions is < 1 or > 1000)
        {
            throw new ArgumentException($"extensions.durableTask.maxConcurrentActivityFunctions must be between 1 and 1000 (got {DurableTask.MaxConcurrentActivityFunctions}).");
        }
        if (DurableTask.MaxConcurrentOrchestratorFunctions is < 1 or > 1000)
        {
            throw new ArgumentException($"extensions.durableTask.maxConcurrentOrchestratorFunctions must be between 1 and 1000 (got {DurableTask.MaxConcurrentOrchestratorFunctions}).");
        }
        if (DurableTask.StorageProvider is not ("sqlite" or "azureStorage"))
        {
            throw new ArgumentException($"extensions.durableTask.storageProvider.type must be 'sqlite' or 'azureStorage' (got '{DurableTask.StorageProvider}').");
        }
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

    private static string? String(JsonElement element, string name, string file) => Find(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw new ArgumentException($"{file}: '{name}' must be a string."),
    };

    private static int? Int(JsonElement element, string name, string file) => Find(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var i) => i,
        _ => throw new ArgumentException($"{file}: '{name}' must be a whole number."),
    };

    private static string? Env(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;

    private static int? EnvInt(IReadOnlyDictionary<string, string?> environment, string name) =>
        Env(environment, name) is { } v
            ? int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : throw new ArgumentException($"{name} must be a whole number (got '{v}').")
            : null;

    private static int ParsePort(string value) =>
        int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : throw new ArgumentException($"HMREC_HTTP_PORT must be a whole number (got '{value}').");
}
