using System.Net;
using System.Net.Sockets;
using HmRec.Cli.Hosting;

namespace HmRec.Cli.Tests.Hosting;

/// <summary>The embedded Azurite keeps its ports across restarts: the task hub stores absolute blob URLs (large messages).</summary>
public sealed class EmbeddedAzuriteTests : IDisposable
{
    private readonly string store = Path.Combine(Path.GetTempPath(), $"hmrec-azurite-{Guid.NewGuid():N}");

    public void Dispose()
    {
        EmbeddedAzurite.Find(store)?.StopAsync(TimeSpan.FromSeconds(15)).GetAwaiter().GetResult();
        Directory.Delete(store, recursive: true);
    }

    [Fact]
    public async Task StartAgain_AfterAStop_ReusesThePorts_OrAFreeOneForATakenPort()
    {
        var first = await EmbeddedAzurite.StartOrFindAsync(store);
        var ports = first.State;
        Assert.True(await first.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Null(EmbeddedAzurite.Find(store));

        var second = await EmbeddedAzurite.StartOrFindAsync(store);
        Assert.Equal(ports with { Pid = 0 }, second.State with { Pid = 0 });
        Assert.True(await second.StopAsync(TimeSpan.FromSeconds(30)));

        // Another process took the blob port meanwhile: a new one for it, the others kept.
        using var squatter = new TcpListener(IPAddress.Loopback, ports.BlobPort);
        // The stopped Azurite's connections may linger in TIME_WAIT on that port; they do not stop a new listener.
        squatter.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        squatter.Start();
        var third = await EmbeddedAzurite.StartOrFindAsync(store);
        Assert.NotEqual(ports.BlobPort, third.State.BlobPort);
        Assert.Equal((ports.QueuePort, ports.TablePort), (third.State.QueuePort, third.State.TablePort));
        Assert.True(await third.StopAsync(TimeSpan.FromSeconds(30)));
    }
}
