namespace HmRec.Shared.Tests.Options;

public sealed class HostSettingsTests : IDisposable
{
    private static readonly string RepositoryRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
    private static readonly Dictionary<string, string?> NoEnvironment = [];
    private readonly TempFolder dir = new("settings");

    public HostSettingsTests() => Directory.CreateDirectory(dir);

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Load_RepositoryFiles_GiveTheDocumentedSettings()
    {
        File.Copy(Path.Combine(RepositoryRoot, "host.json"), Path.Combine(dir, "host.json"));
        File.Copy(Path.Combine(RepositoryRoot, "local.settings.json.example"), Path.Combine(dir, "local.settings.json"));
        var settings = HostSettings.Load(dir, NoEnvironment);
        Assert.Equal("HmRecHub", settings.DurableTask.HubName);
        Assert.Equal(2, settings.DurableTask.MaxConcurrentActivityFunctions);
        Assert.Equal(8, settings.DurableTask.MaxConcurrentOrchestratorFunctions);
        Assert.Equal("AzureStorage", settings.DurableTask.StorageProvider);
        Assert.Equal(4, settings.DurableTask.PartitionCount);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.DurableTask.MaxQueuePollingInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.DurableTask.WorkItemQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.DurableTask.ControlQueueVisibilityTimeout);
        Assert.True(settings.DurableTask.UseTablePartitionManagement);
        Assert.False(settings.DurableTask.ExtendedSessionsEnabled);
        Assert.Equal("UseDevelopmentStorage=true", settings.App.AzureWebJobsStorage);
        Assert.Equal("0 0 3 * * Mon", settings.App.RetrainSchedule);
        Assert.Equal(7071, settings.App.HttpPort);
        Assert.Null(settings.App.FunctionKey);
    }

    [Fact]
    public void Load_NoFiles_UsesDefaults()
    {
        var settings = HostSettings.Load(dir, NoEnvironment);
        Assert.Equal(new DurableTaskOptions(), settings.DurableTask);
        Assert.Equal(new AppSettings(), settings.App);
    }

    [Fact]
    public void Load_Environment_OverridesBothFiles()
    {
        File.WriteAllText(Path.Combine(dir, "host.json"), """{ "extensions": { "durableTask": { "hubName": "FromFile", "maxConcurrentActivityFunctions": 3 } } }""");
        File.WriteAllText(Path.Combine(dir, "local.settings.json"), """{ "Values": { "HMREC_STORE": "from-file", "HMREC_FUNCTION_KEY": "file-key-0123456789" } }""");
        var settings = HostSettings.Load(dir, new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost__extensions__durableTask__hubName"] = "FromEnv",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:02:00",
            ["HMREC_STORE"] = "from-env",
            ["HMREC_HTTP_PORT"] = "8080",
            ["HMREC_RETRAIN_OPTIONS"] = """{"training": {"maxRounds": 200}}""",
        });
        Assert.Equal("FromEnv", settings.DurableTask.HubName);
        Assert.Equal(3, settings.DurableTask.MaxConcurrentActivityFunctions);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.DurableTask.WorkItemQueueVisibilityTimeout);
        Assert.Equal("from-env", settings.App.Store);
        Assert.Equal("file-key-0123456789", settings.App.FunctionKey);
        Assert.Equal(8080, settings.App.HttpPort);
        Assert.Equal("""{"training": {"maxRounds": 200}}""", settings.App.RetrainOptions);
    }

    [Theory]
    [InlineData("""{ "extensions": { "durableTask": { "hubName": "1bad" } } }""", "hubName")]
    [InlineData("""{ "extensions": { "durableTask": { "maxConcurrentActivityFunctions": 0 } } }""", "maxConcurrentActivityFunctions")]
    [InlineData("""{ "extensions": { "durableTask": { "maxConcurrentOrchestratorFunctions": "many" } } }""", "maxConcurrentOrchestratorFunctions")]
    [InlineData("""{ "extensions": { "durableTask": { "storageProvider": { "type": "mssql" } } } }""", "storageProvider.type")]
    [InlineData("""{ "extensions": { "durableTask": { "storageProvider": { "partitionCount": 17 } } } }""", "storageProvider.partitionCount must be between 1 and 16")]
    [InlineData("""{ "extensions": { "durableTask": { "storageProvider": { "maxQueuePollingInterval": "soon" } } } }""", "storageProvider.maxQueuePollingInterval must be a time span")]
    [InlineData("""{ "extensions": { "durableTask": { "storageProvider": { "workItemQueueVisibilityTimeout": "00:00:01" } } } }""", "storageProvider.workItemQueueVisibilityTimeout must be between")]
    [InlineData("""{ "extensions": { "durableTask": { "extendedSessionsEnabled": "maybe" } } }""", "extendedSessionsEnabled must be true or false")]
    [InlineData("""{ "extensions": """, "not valid JSON")]
    public void Load_BadHostJson_NamesTheSetting(string json, string expected)
    {
        File.WriteAllText(Path.Combine(dir, "host.json"), json);
        var e = Assert.Throws<ArgumentException>(() => HostSettings.Load(dir, NoEnvironment));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("HMREC_RETRAIN_SCHEDULE", "every monday", "six-field")]
    [InlineData("HMREC_FUNCTION_KEY", "short", "at least 16")]
    [InlineData("HMREC_HTTP_PORT", "70000", "LocalHttpPort")]
    [InlineData("HMREC_HTTP_PORT", "port", "whole number")]
    public void Load_BadValue_NamesTheSetting(string name, string value, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => HostSettings.Load(dir, new Dictionary<string, string?> { [name] = value }));
        Assert.Contains(expected, e.Message);
    }
}
