using Azure.Storage.Blobs;
using HmRec.Shared.Blob;

namespace HmRec.Training.Gpu.Tests.Training;

/// <summary>The worker on blob locations, as a container job: features pulled from Azurite, outputs pushed back.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobJobTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Worker_BlobFeaturesAndOutput_TrainsAndWritesBlobs()
    {
        var client = await ClientWithFeaturesAsync("runs/r1/features/");

        var code = WorkerCli.Build().Parse(["--features", "blob:runs/r1/features", "--out", "blob:runs/r1/models/two_tower", "--storage", Connection,
            "--device", "cpu", "--max-epochs", "2", "--batch-size", "512"]).Invoke();

        Assert.Equal(0, code);
        var names = new List<string>();
        await foreach (var blob in client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "runs/r1/models/two_tower/", default))
        {
            names.Add(blob.Name["runs/r1/models/two_tower/".Length..]);
        }
        Assert.Equal(["checkpoint.hmtc", "model.hmtt", "summary.json", "test.parquet", "training_log.csv", "validation.parquet"], names.Order(StringComparer.Ordinal));

        var missing = WorkerCli.Build().Parse(["--features", "blob:runs/nothing", "--out", "blob:runs/r2/out", "--storage", Connection]).Invoke();
        Assert.Equal(1, missing);
        // The reason is left beside the output, as for a failure in training.
        var error = (await client.GetBlobClient("runs/r2/out/" + ModelFiles.WorkerError).DownloadContentAsync()).Value.Content.ToString();
        Assert.Equal("--features: no blob under 'runs/nothing/' in container 'hmrec'.", error.Trim());
    }

    [Fact]
    public async Task Worker_BlobJobThatDies_ResumesFromTheCheckpointItPushedAfterEveryEpoch()
    {
        var client = await ClientWithFeaturesAsync("runs/r3/features/");
        var options = new WorkerOptions("blob:runs/r3/features", "blob:runs/r3/out", new TrainerOptions { BatchSize = 512, MaxEpochs = 3, Patience = 10, Seed = 4 }, "cpu");
        await client.GetBlobClient("runs/r3/out/" + ModelFiles.WorkerError).UploadAsync(BinaryData.FromString("an earlier attempt failed"));

        // The first attempt dies after its second epoch: its temporary folder is gone, the blobs stay.
        using var stop = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => BlobJob.Run(options, Connection, "hmrec", job =>
        {
            var push = job.EpochSaved!;
            var epochs = 0;
            WorkerJob.Run(job with { EpochSaved = () => { push(); if (++epochs == 2) { stop.Cancel(); } } }, _ => { }, stop.Token);
            return 0;
        }));
        Assert.True((await client.GetBlobClient("runs/r3/out/" + TrainingCheckpoint.FileName).ExistsAsync()).Value);
        Assert.False((await client.GetBlobClient("runs/r3/out/" + ModelFiles.WorkerError).ExistsAsync()).Value);
        Assert.False((await client.GetBlobClient("runs/r3/out/summary.json").ExistsAsync()).Value);

        var lines = new List<string>();
        WorkerSummary? summary = null;
        Assert.Equal(0, BlobJob.Run(options, Connection, "hmrec", job =>
        {
            summary = WorkerJob.Run(job, lines.Add);
            return 0;
        }));

        Assert.Contains(lines, l => l.StartsWith("resuming from checkpoint.hmtc after epoch 2 ", StringComparison.Ordinal));
        Assert.Equal(3, summary!.Epochs);
        Assert.True((await client.GetBlobClient("runs/r3/out/summary.json").ExistsAsync()).Value);
    }

    private string Connection => azurite.ConnectionString;

    /// <summary>A client of the "hmrec" container, with a small features folder pushed under <paramref name="prefix"/>.</summary>
    private async Task<BlobContainerClient> ClientWithFeaturesAsync(string prefix)
    {
        var client = await azurite.ContainerAsync("hmrec");
        var local = Directory.CreateTempSubdirectory("hmrec-blobjob-");
        try
        {
            SampleFeatures.Write(Path.Combine(local.FullName, "features"));
            await new BlobMirror(client).PushAsync(Path.Combine(local.FullName, "features"), prefix);
        }
        finally
        {
            local.Delete(true);
        }
        return client;
    }
}
