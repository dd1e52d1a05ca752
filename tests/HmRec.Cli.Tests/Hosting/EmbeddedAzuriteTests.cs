using System.Net.Sockets;

namespace HmRec.Cli.Tests.Hosting;

/// <summary>The embedded Azurite keeps its ports across restarts: the task hub stores absolute blob URLs (large messages).</summary>
public sealed class EmbeddedAzuriteTests : IDisposable
{
    private readonly TempFolder store = new("azurite");

    public void Dispose()
    {
        EmbeddedAzurite.Find(store)?.StopAsync(TimeSpan.FromSeconds(15)).GetAwaiter().GetResult();
        store.Dispose();
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

    [Fact]
    public async Task Release_StopsAzuriteOnlyWhenNoOtherUserHoldsALease()
    {
        var first = await EmbeddedAzurite.StartOrFindAsync(store);
        var second = await EmbeddedAzurite.StartOrFindAsync(store);
        Assert.True(first.Started);
        Assert.False(second.Started);
        Assert.Equal(first.State, second.State);

        // The process that started it ends first: the other still uses it, so it keeps running.
        Assert.False(await first.ReleaseAsync(TimeSpan.FromSeconds(30)));
        Assert.True(second.IsRunning);

        // A lease left by a process that died (its file no longer locked) does not count.
        var users = Path.Combine(store, "azurite", "users");
        await File.WriteAllTextAsync(Path.Combine(users, "12345-dead.lease"), "");
        Assert.True(await second.ReleaseAsync(TimeSpan.FromSeconds(30)));
        Assert.False(second.IsRunning);
        Assert.Null(EmbeddedAzurite.Find(store));
        Assert.Empty(Directory.GetFiles(users));
    }
}
