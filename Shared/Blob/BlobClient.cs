using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml.Linq;
using Polly;
using Polly.Retry;

namespace HmRec.Shared.Blob;

/// <summary>
/// An Azure Blob service client over its REST API (HttpClient, Shared Key): containers; uploads (one request
/// up to <see cref="BlobClientOptions.SingleUploadLimit"/>, else blocks uploaded in parallel and committed
/// as a block list); streamed and ranged downloads; properties; listing by prefix, page by page;
/// conditional writes and deletes (ETag, If-None-Match); leases; retries with backoff on throttling,
/// time-outs and 5xx (Polly). Every failure is a <see cref="BlobStorageException"/> naming the request, the
/// status and the service's error code.
/// </summary>
public sealed class BlobClient : IDisposable
{
    /// <summary>The REST API version sent with every request.</summary>
    public const string ApiVersion = "2021-12-02";

    private readonly StorageAccount account;
    private readonly BlobClientOptions options;
    private readonly HttpClient http;
    private readonly ResiliencePipeline<HttpResponseMessage> retry;

    /// <param name="account">The account and its blob endpoint.</param>
    /// <param name="options">Block sizes and retries.</param>
    /// <param name="handler">The HTTP handler (tests add faults in front of the real one).</param>
    public BlobClient(StorageAccount account, BlobClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        this.account = account;
        this.options = options ?? new BlobClientOptions();
        http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        retry = this.options.MaxRetries == 0 ? ResiliencePipeline<HttpResponseMessage>.Empty : new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = this.options.MaxRetries,
                Delay = this.options.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutException>()
                    .HandleResult(r => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
                        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    Retries++;
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Requests retried since the client was made (for tests and logs).</summary>
    public int Retries { get; private set; }

    public Uri Endpoint => account.BlobEndpoint;

    /// <summary>Checks that the endpoint answers and accepts the credentials; fails fast with a clear message otherwise.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await http.SendAsync(Request(HttpMethod.Get, "", "restype=service&comp=properties"), timeout.Token);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                throw new BlobStorageException($"The blob endpoint {Endpoint} refused the credentials of account '{account.Name}' (403 {ErrorCode(response)}): check the AccountKey.",
                    response.StatusCode, ErrorCode(response));
            }
            await Ensure(response, "service properties");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new BlobStorageException($"The blob endpoint {Endpoint} cannot be reached: {e.Message}", 0, null, e);
        }
    }

    /// <summary>Creates the container; false when it existed.</summary>
    public async Task<bool> CreateContainerAsync(string container, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Put, container, "restype=container"), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict && ErrorCode(response) == "ContainerAlreadyExists")
        {
            return false;
        }
        await Ensure(response, $"create container {container}");
        return true;
    }

    /// <summary>Uploads <paramref name="content"/> (read to its end) as a block blob; returns its new ETag.</summary>
    public async Task<string> UploadAsync(string container, string name, Stream content, BlobConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        conditions ??= BlobConditions.None;
        var first = new byte[Math.Max(options.SingleUploadLimit, options.BlockSize) + 1];
        var read = await content.ReadAtLeastAsync(first, first.Length, throwOnEndOfStream: false, cancellationToken);
        if (read <= options.SingleUploadLimit)
        {
            return await PutBlobAsync(container, name, first.AsMemory(0, read), conditions, cancellationToken);
        }

        // Blocks: the bytes already read, then the rest of the stream, BlockSize at a time, Parallelism at once.
        var ids = new List<string>();
        var running = new List<Task>();
        using var slots = new SemaphoreSlim(options.Parallelism);
        var pending = first.AsMemory(0, read);
        async Task Put(string id, ReadOnlyMemory<byte> block)
        {
            try
            {
                using var response = await SendAsync(() => Request(HttpMethod.Put, Path(container, name), $"comp=block&blockid={Uri.EscapeDataString(id)}",
                    new ReadOnlyMemoryContent(block), conditions with { IfMatch = null, IfNoneMatch = null }), cancellationToken);
                await Ensure(response, $"put block {id} of {container}/{name}");
            }
            finally
            {
                slots.Release();
            }
        }
        while (true)
        {
            while (pending.Length >= options.BlockSize || (pending.Length > 0 && read == 0))
            {
                var length = Math.Min(options.BlockSize, pending.Length);
                var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"block-{ids.Count:D6}"));
                ids.Add(id);
                await slots.WaitAsync(cancellationToken);
                running.Add(Put(id, pending[..length].ToArray()));
                pending = pending[length..];
            }
            if (read == 0)
            {
                break;
            }
            var buffer = new byte[options.BlockSize];
            pending.CopyTo(buffer);
            read = await content.ReadAtLeastAsync(buffer.AsMemory(pending.Length), options.BlockSize - pending.Length, throwOnEndOfStream: false, cancellationToken);
            pending = buffer.AsMemory(0, pending.Length + read);
        }
        await Task.WhenAll(running);
        var list = new XElement("BlockList", ids.Select(id => new XElement("Latest", id))).ToString(SaveOptions.DisableFormatting);
        using var commit = await SendAsync(() => Request(HttpMethod.Put, Path(container, name), "comp=blocklist",
            new StringContent("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + list, Encoding.UTF8, "application/xml"), conditions), cancellationToken);
        await Ensure(commit, $"commit {ids.Count} blocks of {container}/{name}");
        return ETag(commit);
    }

    /// <summary>Uploads bytes as one block blob; returns its ETag.</summary>
    public Task<string> UploadAsync(string container, string name, ReadOnlyMemory<byte> content, BlobConditions? conditions = null, CancellationToken cancellationToken = default) =>
        content.Length <= options.SingleUploadLimit
            ? PutBlobAsync(container, name, content, conditions ?? BlobConditions.None, cancellationToken)
            : UploadAsync(container, name, new MemoryStream(content.ToArray(), writable: false), conditions, cancellationToken);

    /// <summary>The blob's size, ETag and lease state, or null when it does not exist.</summary>
    public async Task<BlobItem?> GetPropertiesAsync(string container, string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Head, Path(container, name)), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await Ensure(response, $"properties of {container}/{name}");
        return new BlobItem(name, response.Content.Headers.ContentLength ?? 0, ETag(response),
            response.Headers.TryGetValues("x-ms-lease-state", out var state) ? state.First() : null);
    }

    /// <summary>Streams the blob into <paramref name="destination"/>; returns its ETag.</summary>
    public async Task<string> DownloadToAsync(string container, string name, Stream destination, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Get, Path(container, name)), cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await Ensure(response, $"download {container}/{name}");
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            await body.CopyToAsync(destination, 1 << 20, cancellationToken);
        }
        return ETag(response);
    }

    /// <summary>Bytes [<paramref name="offset"/>, offset + <paramref name="length"/>) of the blob (fewer at its end).</summary>
    public async Task<byte[]> DownloadRangeAsync(string container, string name, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        using var response = await SendAsync(() => Request(HttpMethod.Get, Path(container, name),
            headers: r => r.Headers.Add("x-ms-range", $"bytes={offset}-{offset + length - 1}")), cancellationToken);
        await Ensure(response, $"download bytes {offset}-{offset + length - 1} of {container}/{name}");
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>One page of the blobs whose names start with <paramref name="prefix"/>, and the marker of the next page (null at the end).</summary>
    public async Task<(IReadOnlyList<BlobItem> Items, string? NextMarker)> ListPageAsync(string container, string? prefix = null, int pageSize = 5000, string? marker = null, CancellationToken cancellationToken = default)
    {
        var query = new StringBuilder($"restype=container&comp=list&maxresults={pageSize.ToString(CultureInfo.InvariantCulture)}");
        if (!string.IsNullOrEmpty(prefix))
        {
            query.Append("&prefix=").Append(Uri.EscapeDataString(prefix));
        }
        if (!string.IsNullOrEmpty(marker))
        {
            query.Append("&marker=").Append(Uri.EscapeDataString(marker));
        }
        using var response = await SendAsync(() => Request(HttpMethod.Get, container, query.ToString()), cancellationToken);
        await Ensure(response, $"list {container}/{prefix}*");
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var items = xml.Descendants("Blob").Select(b =>
        {
            var properties = b.Element("Properties");
            return new BlobItem(b.Element("Name")!.Value, long.Parse(properties?.Element("Content-Length")?.Value ?? "0", CultureInfo.InvariantCulture),
                properties?.Element("Etag")?.Value ?? "", properties?.Element("LeaseState")?.Value);
        }).ToList();
        var next = xml.Root?.Element("NextMarker")?.Value;
        return (items, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>Every blob whose name starts with <paramref name="prefix"/>, page after page.</summary>
    public async IAsyncEnumerable<BlobItem> ListAsync(string container, string? prefix = null, int pageSize = 5000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var (items, next) = await ListPageAsync(container, prefix, pageSize, marker, cancellationToken);
            foreach (var item in items)
            {
                yield return item;
            }
            marker = next;
        }
        while (marker is not null);
    }

    /// <summary>Deletes the blob (under the conditions); false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string container, string name, BlobConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Delete, Path(container, name), null, null, conditions), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await Ensure(response, $"delete {container}/{name}");
        return true;
    }

    /// <summary>Takes a lease for <paramref name="duration"/> (15-60 s) or for ever (null); returns the lease id.</summary>
    public async Task<string> AcquireLeaseAsync(string container, string name, TimeSpan? duration, string? proposedId = null, CancellationToken cancellationToken = default)
    {
        var seconds = duration is { } d ? (int)d.TotalSeconds : -1;
        if (seconds != -1 && seconds is < 15 or > 60)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "A blob lease lasts 15 to 60 seconds, or for ever.");
        }
        using var response = await SendAsync(() => Lease(container, name, "acquire", null, request =>
        {
            request.Headers.Add("x-ms-lease-duration", seconds.ToString(CultureInfo.InvariantCulture));
            if (proposedId is not null)
            {
                request.Headers.Add("x-ms-proposed-lease-id", proposedId);
            }
        }), cancellationToken);
        await Ensure(response, $"acquire a lease on {container}/{name}");
        return response.Headers.GetValues("x-ms-lease-id").First();
    }

    public async Task RenewLeaseAsync(string container, string name, string leaseId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => Lease(container, name, "renew", leaseId), cancellationToken);
        await Ensure(response, $"renew the lease on {container}/{name}");
    }

    public async Task ReleaseLeaseAsync(string container, string name, string leaseId, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => Lease(container, name, "release", leaseId), cancellationToken);
        await Ensure(response, $"release the lease on {container}/{name}");
    }

    public void Dispose() => http.Dispose();

    private async Task<string> PutBlobAsync(string container, string name, ReadOnlyMemory<byte> content, BlobConditions conditions, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Put, Path(container, name), null, new ReadOnlyMemoryContent(content), conditions,
            r => r.Headers.Add("x-ms-blob-type", "BlockBlob")), cancellationToken);
        await Ensure(response, $"upload {container}/{name}");
        return ETag(response);
    }

    private HttpRequestMessage Lease(string container, string name, string action, string? leaseId, Action<HttpRequestMessage>? more = null) =>
        Request(HttpMethod.Put, Path(container, name), "comp=lease", null, null, request =>
        {
            request.Headers.Add("x-ms-lease-action", action);
            if (leaseId is not null)
            {
                request.Headers.Add("x-ms-lease-id", leaseId);
            }
            more?.Invoke(request);
        });

    /// <summary>A request for <paramref name="path"/> under the endpoint with the version, date, conditions, content and <paramref name="headers"/>, signed last.</summary>
    private HttpRequestMessage Request(HttpMethod method, string path, string? query = null, HttpContent? content = null, BlobConditions? conditions = null, Action<HttpRequestMessage>? headers = null)
    {
        var uri = new Uri(Endpoint, path + (query is null ? "" : "?" + query));
        var request = new HttpRequestMessage(method, uri) { Content = content };
        if (content is not null && content.Headers.ContentType is null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }
        if (method == HttpMethod.Put && content is null)
        {
            request.Content = new ByteArrayContent([]);
        }
        request.Headers.Add("x-ms-date", DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        request.Headers.Add("x-ms-version", ApiVersion);
        if (conditions is not null)
        {
            if (conditions.IfMatch is { } match)
            {
                request.Headers.TryAddWithoutValidation("If-Match", match);
            }
            if (conditions.IfNoneMatch is { } noneMatch)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", noneMatch);
            }
            if (conditions.LeaseId is { } lease)
            {
                request.Headers.Add("x-ms-lease-id", lease);
            }
        }
        headers?.Invoke(request);
        SharedKeySigner.Sign(request, account);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        await retry.ExecuteAsync(async token =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(options.RequestTimeout);
            using var request = build();
            try
            {
                return await http.SendAsync(request, completion, timeout.Token);
            }
            catch (OperationCanceledException e) when (!token.IsCancellationRequested)
            {
                throw new TimeoutException($"{request.Method} {request.RequestUri!.AbsolutePath} took longer than {options.RequestTimeout.TotalSeconds:F0} s.", e);
            }
        }, cancellationToken);

    private static async Task Ensure(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var code = ErrorCode(response);
        var message = "";
        try
        {
            var body = await response.Content.ReadAsStringAsync();
            if (body.Length > 0)
            {
                message = XDocument.Parse(body).Root?.Element("Message")?.Value.Split('\n')[0] ?? "";
            }
        }
        catch (System.Xml.XmlException)
        {
        }
        throw new BlobStorageException($"Blob storage: {what}: {(int)response.StatusCode} {code ?? response.ReasonPhrase}{(message.Length > 0 ? ": " + message : "")}",
            response.StatusCode, code);
    }

    private static string? ErrorCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;

    private static string ETag(HttpResponseMessage response) => response.Headers.ETag?.Tag ?? "";

    private static string Path(string container, string name) =>
        container + "/" + string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
}
