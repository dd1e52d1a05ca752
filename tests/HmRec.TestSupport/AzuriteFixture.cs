using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HmRec.Shared.Blob;
using HmRec.Shared.Native;

namespace HmRec.TestSupport;

/// <summary>
/// Azurite's blob service, started for the tests from the project's tools/ folder (npm) on a free loopback
/// port with its data in a temporary folder, and stopped after.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly TempFolder location = new("azurite");
    private Process? process;

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
        var tools = NativeLibraryResolver.FindToolsDirectory() ?? throw new InvalidOperationException("No tools/ folder: run 'make setup'.");
        var azurite = Path.Combine(tools, "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"{azurite} is missing: run 'make setup' (npm ci in tools/).");
        }
        Port = FreePort();
        Directory.CreateDirectory(location);
        var start = new ProcessStartInfo(azurite) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", location, "--silent", "--skipApiVersionCheck", "--loose" })
        {
            start.ArgumentList.Add(a);
        }
        process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
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
