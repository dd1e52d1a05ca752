using HmRec.Shared.Blob;

namespace HmRec.Shared.Tests.Blob;

/// <summary>The mirror between a local folder and a blob prefix, on Azurite through Azure.Storage.Blobs.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobMirrorTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TempFolder work = new("mirror");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task PushThenPull_CopiesOnlyWhatChanged_AndSkipsTemporaryFiles()
    {
        var container = await azurite.ContainerAsync("mirror" + Guid.NewGuid().ToString("N")[..8]);
        var a = Path.Combine(work, "a");
        Directory.CreateDirectory(Path.Combine(a, "week=0"));
        await File.WriteAllTextAsync(Path.Combine(a, "config.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(a, "week=0", "shard=1.parquet"), "rows");
        await File.WriteAllTextAsync(Path.Combine(a, "week=0", "shard=2.parquet.tmp-1-x"), "half");
        var writer = new BlobMirror(container);
        Assert.Equal(2, await writer.PushAsync(a, "runs/r/"));
        Assert.Equal(0, await writer.PushAsync(a, "runs/r/")); // nothing changed

        // Another worker pulls both files, then nothing the next time: it holds the container's versions (ETags).
        var b = Path.Combine(work, "b");
        var reader = new BlobMirror(container);
        Assert.Equal(2, await reader.PullAsync("runs/r/", b));
        Assert.Equal("rows", await File.ReadAllTextAsync(Path.Combine(b, "week=0", "shard=1.parquet")));
        Assert.False(File.Exists(Path.Combine(b, "week=0", "shard=2.parquet.tmp-1-x")));
        Assert.Equal(0, await reader.PullAsync("runs/r/", b));

        // A new version of the same length on the container: the ETag differs, so it is pulled again.
        await File.WriteAllTextAsync(Path.Combine(a, "config.json"), "[]");
        File.SetLastWriteTimeUtc(Path.Combine(a, "config.json"), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(1, await writer.PushAsync(a, "runs/r/"));
        Assert.Equal(1, await reader.PullAsync("runs/r/", b));
        Assert.Equal("[]", await File.ReadAllTextAsync(Path.Combine(b, "config.json")));
    }

    [Fact]
    public async Task OpenContainer_RefusedKeyOrNoEndpoint_SaysWhich()
    {
        var wrong = azurite.ConnectionString.Replace(AzuriteFixture.DevelopmentKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => BlobStorage.OpenContainerAsync(wrong, "hmrec"));
        Assert.Contains("refused the credentials", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.DevelopmentKey, refused.Message, StringComparison.Ordinal);

        var nowhere = azurite.ConnectionString.Replace($":{azurite.Port}/", $":{AzuriteFixture.FreePort()}/", StringComparison.Ordinal);
        var down = await Assert.ThrowsAsync<ArgumentException>(() => BlobStorage.OpenContainerAsync(nowhere, "hmrec"));
        Assert.Contains("cannot be reached", down.Message, StringComparison.Ordinal);

        var garbage = await Assert.ThrowsAsync<ArgumentException>(() => BlobStorage.OpenContainerAsync("AccountName=x", "hmrec"));
        Assert.Contains("connection string", garbage.Message, StringComparison.Ordinal);
    }
}
