using System.Net;
using System.Security.Cryptography;
using HmRec.Shared.Blob;

namespace HmRec.Shared.Tests.Blob;

[Collection(AzuriteCollection.Name)]
public sealed class BlobClientTests(AzuriteFixture azurite)
{
    private readonly string container = "t" + Guid.NewGuid().ToString("N")[..20];

    [Fact]
    public async Task Upload100MB_InParallelBlocks_DownloadsStreamedAndRangedIdentical()
    {
        using var client = new BlobClient(azurite.Account, new BlobClientOptions { BlockSize = 4 << 20, Parallelism = 4 });
        Assert.True(await client.CreateContainerAsync(container));
        Assert.False(await client.CreateContainerAsync(container));
        var data = new byte[100 << 20];
        new Random(5).NextBytes(data);

        var etag = await client.UploadAsync(container, "big/data.bin", new MemoryStream(data, writable: false));

        var properties = (await client.GetPropertiesAsync(container, "big/data.bin"))!;
        Assert.Equal(data.Length, properties.Length);
        Assert.Equal(etag, properties.ETag);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var sink = new HashingStream(hash))
        {
            await client.DownloadToAsync(container, "big/data.bin", sink);
        }
        Assert.Equal(SHA256.HashData(data), hash.GetHashAndReset());
        var slice = await client.DownloadRangeAsync(container, "big/data.bin", 50_000_003, 1_000_000);
        Assert.Equal(data.AsSpan(50_000_003, 1_000_000).ToArray(), slice);
        var tail = await client.DownloadRangeAsync(container, "big/data.bin", data.Length - 10, 100);
        Assert.Equal(data[^10..], tail);
    }

    [Fact]
    public async Task List5000Blobs_PageByPage_WithPrefix()
    {
        using var client = new BlobClient(azurite.Account);
        await client.CreateContainerAsync(container);
        await Parallel.ForAsync(0, 5000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.UploadAsync(container, $"runs/{(i % 2 == 0 ? "even" : "odd")}/{i:D5}.txt", new byte[] { (byte)i }, cancellationToken: ct));

        var page = await client.ListPageAsync(container, "runs/", pageSize: 1000);
        Assert.Equal(1000, page.Items.Count);
        Assert.NotNull(page.NextMarker);
        var all = new List<BlobItem>();
        await foreach (var item in client.ListAsync(container, "runs/", pageSize: 1000))
        {
            all.Add(item);
        }
        Assert.Equal(5000, all.Count);
        Assert.Equal(5000, all.Select(b => b.Name).Distinct().Count());
        Assert.All(all, b => Assert.Equal(1, b.Length));
        var odd = 0;
        await foreach (var _ in client.ListAsync(container, "runs/odd/"))
        {
            odd++;
        }
        Assert.Equal(2500, odd);
        Assert.True(await client.DeleteAsync(container, "runs/odd/00001.txt"));
        Assert.False(await client.DeleteAsync(container, "runs/odd/00001.txt"));
    }

    [Fact]
    public async Task ConditionalWrites_TwoWritersOnOneETag_OneWins()
    {
        using var client = new BlobClient(azurite.Account);
        await client.CreateContainerAsync(container);
        var etag = await client.UploadAsync(container, "state.json", "v1"u8.ToArray(), BlobConditions.IfNotExists);
        var create = await Assert.ThrowsAsync<BlobStorageException>(() => client.UploadAsync(container, "state.json", "v0"u8.ToArray(), BlobConditions.IfNotExists));
        Assert.True(create.IsConditionFailed, create.Message);

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            try
            {
                await client.UploadAsync(container, "state.json", new[] { (byte)('a' + i) }, new BlobConditions(IfMatch: etag));
                return true;
            }
            catch (BlobStorageException e) when (e.IsConditionFailed)
            {
                return false;
            }
        }));
        Assert.Single(results, won => won);
        var stale = await Assert.ThrowsAsync<BlobStorageException>(() => client.DeleteAsync(container, "state.json", new BlobConditions(IfMatch: etag)));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Contains("state.json", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lease_KeepsOtherWritersOut_UntilItExpires()
    {
        using var client = new BlobClient(azurite.Account);
        await client.CreateContainerAsync(container);
        await client.UploadAsync(container, "lock", "x"u8.ToArray());
        var lease = await client.AcquireLeaseAsync(container, "lock", TimeSpan.FromSeconds(15));
        Assert.Equal("leased", (await client.GetPropertiesAsync(container, "lock"))!.LeaseState);
        var refused = await Assert.ThrowsAsync<BlobStorageException>(() => client.UploadAsync(container, "lock", "y"u8.ToArray()));
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.Status);
        await client.UploadAsync(container, "lock", "z"u8.ToArray(), new BlobConditions(LeaseId: lease));
        await Assert.ThrowsAsync<BlobStorageException>(() => client.AcquireLeaseAsync(container, "lock", TimeSpan.FromSeconds(15)));

        await Task.Delay(TimeSpan.FromSeconds(16));
        await client.UploadAsync(container, "lock", "after"u8.ToArray());
        var again = await client.AcquireLeaseAsync(container, "lock", null);
        await client.RenewLeaseAsync(container, "lock", again);
        await client.ReleaseLeaseAsync(container, "lock", again);
        await client.UploadAsync(container, "lock", "released"u8.ToArray());
    }

    [Fact]
    public async Task Forced503_IsRetried_AndAPersistentOneFailsWithTheStatus()
    {
        var faults = new FaultHandler(2);
        using var client = new BlobClient(azurite.Account, new BlobClientOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 3 }, faults);
        await client.CreateContainerAsync(container);
        Assert.Equal(2, client.Retries);
        await client.UploadAsync(container, "a", "1"u8.ToArray());

        faults.Remaining = 10;
        var error = await Assert.ThrowsAsync<BlobStorageException>(() => client.UploadAsync(container, "b", "2"u8.ToArray()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal(2 + 3, client.Retries);
    }

    [Fact]
    public async Task Check_BadKeyOrNoServer_FailsAtOnceWithAClearMessage()
    {
        using (var good = new BlobClient(azurite.Account))
        {
            await good.CheckAsync();
        }
        var wrongKey = azurite.Account with { Key = new byte[64] };
        using (var bad = new BlobClient(wrongKey))
        {
            var error = await Assert.ThrowsAsync<BlobStorageException>(() => bad.CheckAsync());
            Assert.Contains("refused the credentials", error.Message, StringComparison.Ordinal);
        }
        var nowhere = azurite.Account.WithEndpoint(new Uri($"http://127.0.0.1:{AzuriteFixture.FreePort()}/devstoreaccount1/"));
        using var unreachable = new BlobClient(nowhere, new BlobClientOptions { MaxRetries = 0 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var down = await Assert.ThrowsAsync<BlobStorageException>(() => unreachable.CheckAsync());
        Assert.Contains("cannot be reached", down.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
    }

    /// <summary>Answers 503 to the first <see cref="Remaining"/> requests, then passes them to the network.</summary>
    private sealed class FaultHandler(int failures) : DelegatingHandler(new SocketsHttpHandler())
    {
        public int Remaining { get; set; } = failures;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Remaining > 0)
            {
                Remaining--;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request });
            }
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A write-only stream that feeds a hash.</summary>
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
