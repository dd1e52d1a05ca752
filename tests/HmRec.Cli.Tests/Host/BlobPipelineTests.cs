using HmRec.Shared.Blob;
using HmRec.Cli.Tests.Hosting;

namespace HmRec.Cli.Tests.Host;

/// <summary>A whole pipeline on Azurite: input read from blobs, every artefact written to blobs, started over HTTP and polled to completion.</summary>
public sealed class BlobPipelineTests(TaskHubFixture hubs) : IClassFixture<TaskHubFixture>, IDisposable
{
    private const string Key = "blob-pipeline-test-key-0123";

    private readonly TempFolder work = new("blobrun");

    /// <summary>The whole Azurite (blobs, queues, tables): AzureWebJobsStorage holds the task hub and the runs.</summary>
    private string ConnectionString => hubs.Azurite.ConnectionString;


    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Pipeline_OnAzurite_StartedOverHttp_ReadsAndWritesBlobs()
    {
        var blobs = await BlobStorage.OpenContainerAsync(ConnectionString, HttpHost.Container);
        var local = Path.Combine(work, "csv");
        SyntheticDataGenerator.Generate(new SyntheticOptions(300, 120, Seed: 4), local);
        foreach (var file in Directory.GetFiles(local))
        {
            await blobs.GetBlobClient($"data/small/{Path.GetFileName(file)}").UploadAsync(file);
        }
        Directory.Delete(local, recursive: true); // the run can only read the blobs

        var settings = new HostSettings(new DurableTaskOptions(), new AppSettings { AzureWebJobsStorage = ConnectionString, FunctionKey = Key, SystemKey = Key });
        await using var host = await HttpHost.StartAsync(settings, Path.Combine(work, "store"), ["http://127.0.0.1:0"]);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Add(FunctionKeys.Header, Key);
        var body = JsonSerializer.Serialize(new { data = "blob:data/small", Shards = 2, Training = new { MaxRounds = 5 }, TwoTower = new { MaxEpochs = 2, PollSeconds = 1 } });
        var started = await http.PostAsync("/api/pipelines", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        JsonObject status;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4)))
        {
            HttpResponseMessage response;
            while ((response = await http.GetAsync(started.Headers.Location, deadline.Token)).StatusCode == HttpStatusCode.Accepted)
            {
                await Task.Delay(250, deadline.Token);
            }
            status = (await response.Content.ReadFromJsonAsync<JsonObject>(deadline.Token))!;
        }
        Assert.True(status["runtimeStatus"]!.GetValue<string>() == "Completed", status.ToJsonString());

        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"runs/{id}/", default))
        {
            names.Add(blob.Name[$"runs/{id}/".Length..]);
        }
        foreach (var expected in new[] { "config.json", "ingest/transactions.parquet", "features/week=0/shard=1.parquet", "models/lgb_binary/model.txt",
            "models/two_tower/summary.json", "models/two_tower/model.hmtt", "eval/metrics.json", "eval/comparison.csv", "eval/report.html", "submission.csv" })
        {
            Assert.Contains(expected, names);
        }
        Assert.DoesNotContain(names, n => n.Contains(".tmp-", StringComparison.Ordinal));
        var submission = (await blobs.GetBlobClient($"runs/{id}/submission.csv").DownloadContentAsync()).Value.Content;
        Assert.Equal(300 + 1, submission.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        // The scratch copy of the run is gone once the report, the last output, is in blob storage.
        Assert.False(Directory.Exists(Path.Combine(host.RunsRoot, "runs", id)));
        // The report, written from the run's blobs on a scratch copy, is served from blob storage.
        var report = await http.GetAsync($"/api/runs/{id}/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Contains("chart-rounds", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await host.StopAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Start_RefusedKeyOrNoStorage_FailsAtOnceNamingTheSetting()
    {
        var wrong = ConnectionString.Replace(AzuriteFixture.DevelopmentKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        Assert.NotEqual(ConnectionString, wrong);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => HttpHost.StartAsync(
            new HostSettings(new DurableTaskOptions(), new AppSettings { AzureWebJobsStorage = wrong }), Path.Combine(work, "a"), ["http://127.0.0.1:0"]));
        Assert.StartsWith("AzureWebJobsStorage: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("refused the credentials", refused.Message, StringComparison.Ordinal);

        var nowhere = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.DevelopmentKey};BlobEndpoint=http://127.0.0.1:{AzuriteFixture.FreePort()}/devstoreaccount1";
        var down = await Assert.ThrowsAsync<ArgumentException>(() => HttpHost.StartAsync(
            new HostSettings(new DurableTaskOptions(), new AppSettings { AzureWebJobsStorage = nowhere }), Path.Combine(work, "b"), ["http://127.0.0.1:0"]));
        Assert.Contains("cannot be reached", down.Message, StringComparison.Ordinal);
    }
}
