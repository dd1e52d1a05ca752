using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HmRec.Shared.Native;

namespace HmRec.TestSupport;

/// <summary>
/// An Azurite process from the project's tools/ folder (npm), started with a test's arguments and awaited until its
/// ports answer; disposing kills it with its children.
/// </summary>
public sealed class AzuriteProcess : IDisposable
{
    private readonly Process process;

    private AzuriteProcess(Process process) => this.process = process;

    /// <summary>Starts <paramref name="program"/> (<c>azurite</c>, or <c>azurite-blob</c> for blobs alone) and waits up to a minute for <paramref name="ports"/>.</summary>
    public static async Task<AzuriteProcess> StartAsync(string program, IEnumerable<string> arguments, params int[] ports)
    {
        var tools = NativeLibraryResolver.FindToolsDirectory() ?? throw new InvalidOperationException("No tools/ folder: run 'make setup'.");
        var path = Path.Combine(tools, "node_modules", ".bin", program);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run 'make setup' (npm ci in tools/).");
        }
        var start = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var azurite = new AzuriteProcess(Process.Start(start)!);
        _ = azurite.process.StandardOutput.ReadToEndAsync();
        _ = azurite.process.StandardError.ReadToEndAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            foreach (var port in ports)
            {
                await azurite.WaitForAsync(port, deadline);
            }
        }
        catch
        {
            azurite.Dispose();
            throw;
        }
        return azurite;
    }

    private async Task WaitForAsync(int port, DateTime deadline)
    {
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
    }
}
