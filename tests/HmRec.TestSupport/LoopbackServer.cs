using System.Net;

namespace HmRec.TestSupport;

/// <summary>
/// An HTTP server on a free loopback port for a test's stand-in service (Resource Manager, a managed identity
/// endpoint): each request goes to the answer given, in turn; a client that went away is ignored. Disposing stops it.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public LoopbackServer(Action<HttpListenerContext> answer)
    {
        for (var attempt = 0; ; attempt++)
        {
            // A port free a moment ago may be taken by the time the listener starts: try another.
            var port = AzuriteFixture.FreePort();
            try
            {
                listener.Prefixes.Clear();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                listener.Start();
                Endpoint = new Uri($"http://127.0.0.1:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
        loop = Task.Run(() => ServeAsync(answer));
    }

    /// <summary>The server's base URL, ending in a slash.</summary>
    public Uri Endpoint { get; } = null!;

    private async Task ServeAsync(Action<HttpListenerContext> answer)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away.
            }
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
