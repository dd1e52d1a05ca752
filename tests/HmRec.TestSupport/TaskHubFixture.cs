using System.Text.Json.Nodes;
using DurableTask.Core.History;
using HmRec.Cli.Hosting;
using HmRec.Shared.Options;
using HmRec.Activities.Options;

namespace HmRec.TestSupport;

/// <summary>
/// An embedded Azurite for a test class, started on free loopback ports in a temporary store and stopped after;
/// each test opens its own task hub on it, so tests never see each other's instances.
/// </summary>
public sealed class TaskHubFixture : IAsyncLifetime
{
    public TempFolder Store { get; } = new("hub");

    internal EmbeddedAzurite Azurite { get; private set; } = null!;

    public async Task InitializeAsync() => Azurite = await EmbeddedAzurite.StartOrFindAsync(Store);

    public async Task DisposeAsync()
    {
        await Azurite.StopAsync(TimeSpan.FromSeconds(15));
        Store.Dispose();
    }

    /// <summary>Settings of a test hub: one partition and short polls and visibility timeouts, so tests do not wait.</summary>
    public static DurableTaskOptions Options(string hub) => new()
    {
        HubName = hub,
        PartitionCount = 1,
        MaxQueuePollingInterval = TimeSpan.FromMilliseconds(250),
        WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
        ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A hub name no other test uses.</summary>
    public static string NewHubName() => "t" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Opens <paramref name="hub"/> (a new one by default) on this Azurite, without a worker.</summary>
    internal Task<DurableHost> OpenAsync(string? hub = null, Func<DurableTaskOptions, DurableTaskOptions>? configure = null)
    {
        var options = Options(hub ?? NewHubName());
        return DurableHost.OpenAsync(configure is null ? options : configure(options), Azurite.ConnectionString, Store);
    }

    /// <summary>How many events of <paramref name="type"/> a DTFx history holds.</summary>
    public static int Count(JsonArray history, EventType type) =>
        history.Count(e => e?["EventType"]?.GetValue<int>() == (int)type);
}
