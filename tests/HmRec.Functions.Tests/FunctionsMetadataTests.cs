using System.Text.Json.Nodes;
using HmRec.Orchestrators;
using HmRec.Shared.Options;
using HmRec.Activities.Options;

namespace HmRec.Functions.Tests;

/// <summary>
/// The Functions app that <c>dotnet build</c> generated: its functions.metadata holds exactly the orchestrators and
/// activities of the standalone host's list, with the right triggers, plus the HTTP starter and the timer; its
/// host.json is the repository's, a valid Functions host.json.
/// </summary>
public sealed class FunctionsMetadataTests
{
    /// <summary>The Functions app's build output for the configuration these tests were built in.</summary>
    private static readonly string Output = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../Functions/bin",
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name, "net10.0"));

    private static JsonArray Metadata => (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata")))!;

    private static List<string> Named(string trigger) =>
        [.. Metadata.Where(f => f!["bindings"]!.AsArray().Any(b => b!["type"]!.GetValue<string>() == trigger)).Select(f => f!["name"]!.GetValue<string>()).Order()];

    [Fact]
    public void Metadata_Orchestrators_AreTheStandaloneHostsList()
    {
        Assert.Equal(PipelineRegistry.OrchestratorNames.Order(), Named("orchestrationTrigger"));
    }

    [Fact]
    public void Metadata_Activities_AreTheStandaloneHostsList()
    {
        Assert.Equal(PipelineRegistry.ActivityNames.Order(), Named("activityTrigger"));
    }

    [Fact]
    public void Metadata_HttpFunctionsAndTimer_HaveTheirTriggersAndADurableClient()
    {
        var functions = Metadata.ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["bindings"]!.AsArray());
        // The HTTP functions (the keyless health probe, and one keyed function that dispatches every other route of
        // ApiRoutes; their parity with hmrec serve is tested beside serve) and the timer.
        Assert.Equal(PipelineRegistry.OrchestratorNames.Count + PipelineRegistry.ActivityNames.Count + 3, functions.Count);

        var api = functions["Api"].Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Equal("{*path}", api["route"]!.GetValue<string>());
        Assert.Equal("Function", api["authLevel"]!.GetValue<string>());
        Assert.Contains(functions["Api"], b => b!["type"]!.GetValue<string>() == "durableClient");
        var health = functions["Health"].Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;
        Assert.Equal("health", health["route"]!.GetValue<string>());
        Assert.Equal("Anonymous", health["authLevel"]!.GetValue<string>());

        var timer = functions["Retrain"].Single(b => b!["type"]!.GetValue<string>() == "timerTrigger")!;
        Assert.Equal("%HMREC_RETRAIN_SCHEDULE%", timer["schedule"]!.GetValue<string>());
        Assert.True(timer["useMonitor"]!.GetValue<bool>());
        Assert.Contains(functions["Retrain"], b => b!["type"]!.GetValue<string>() == "durableClient");
    }

    [Fact]
    public void HostJson_IsTheRepositorysAndAValidFunctionsHost()
    {
        var hostJson = File.ReadAllText(Path.Combine(Output, "host.json"));
        Assert.Equal(File.ReadAllText(Path.Combine(Output, "../../../../host.json")), hostJson);
        var host = JsonNode.Parse(hostJson)!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        // The durable settings carry Durable Functions' names and values the standalone host also accepts.
        var settings = HostSettings.Load(Output, new Dictionary<string, string?>());
        Assert.Equal("AzureStorage", settings.DurableTask.StorageProvider);
        Assert.Equal(host["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>(), settings.DurableTask.HubName);
        Assert.True(File.Exists(Path.Combine(Output, "worker.config.json")));
        // Telemetry goes through OpenTelemetry, to Azure Monitor when the app has its connection setting.
        Assert.Equal("OpenTelemetry", host["telemetryMode"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(Output, "Azure.Monitor.OpenTelemetry.Exporter.dll")));
        Assert.True(File.Exists(Path.Combine(Output, "Microsoft.Azure.Functions.Worker.OpenTelemetry.dll")));
        Assert.Contains("Microsoft.Azure.WebJobs.Extensions.DurableTask", File.ReadAllText(Path.Combine(Output, "extensions.json")), StringComparison.Ordinal);
    }
}
