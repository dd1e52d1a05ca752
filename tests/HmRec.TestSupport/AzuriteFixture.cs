using System.Net;
using System.Net.Sockets;
using HmRec.Shared.Blob;

namespace HmRec.TestSupport;

/// <summary>
/// Azurite's blob service, started for the tests from the project's tools/ folder (npm) on a free loopback
/// port with its data in a temporary folder, and stopped after.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly TempFolder location = new("azurite");
    private AzuriteProcess? process;

    public int Port { get; private set; }

    /// <summary>Azurite's well-known development account (its key is public and opens only the emulator).</summary>
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>A connection string of the development account, pointed at this Azurite's blob service.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <summary>The container <paramref name="name"/>, created when missing.</summary>
    public Task<Azure.Storage.Blobs.BlobContainerClient> ContainerAsync(string name) => BlobStorage.OpenContainerAsync(ConnectionString, name);

    public async Task InitializeAsync()
    {
        Port = FreePort();
        Directory.CreateDirectory(location);
        process = await AzuriteProcess.StartAsync("azurite-blob",
            ["--blobHost", "127.0.0.1", "--blobPort", $"{Port}", "--location", location, "--silent", "--skipApiVersionCheck", "--loose"], Port);
    }

    public Task DisposeAsync()
    {
        process?.Dispose();
        try
        {
            location.Dispose();
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The name of the collection that shares one <see cref="AzuriteFixture"/>; each test assembly defines it (xUnit needs the definition there).</summary>
public static class AzuriteCollection
{
    public const string Name = "Azurite";
}
