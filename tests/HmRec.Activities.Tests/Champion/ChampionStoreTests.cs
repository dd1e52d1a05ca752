using HmRec.Activities.Champion;
using HmRec.Activities.Tests.Training.TwoTower;

namespace HmRec.Activities.Tests.Champion;

/// <summary>
/// The champion store on the file system and in blob storage (Azurite): atomic swaps, rollbacks, and the serving index
/// against the submission.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChampionStoreTests(AzuriteFixture azurite) : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("hmrec-champion-");

    public void Dispose() => work.Delete(recursive: true);

    /// <summary>
    /// The store beside the test's runs: on the file system, or in a container of its own with this folder as the
    /// local cache; <paramref name="machine"/> names another machine's cache of the same store.
    /// </summary>
    private async Task<ChampionStore> Store(bool blob, string machine = "")
    {
        if (!blob)
        {
            return ChampionStore.In(work.FullName);
        }
        container ??= await azurite.ContainerAsync("champion-" + Guid.NewGuid().ToString("N")[..12]);
        return machine.Length == 0 ? ChampionStore.In(work.FullName, container) : ChampionStore.In(Path.Combine(work.FullName, machine), container);
    }

    private Azure.Storage.Blobs.BlobContainerClient? container;

    /// <summary>A finished run's folder with a submission whose every customer gets twelve articles whose ids start with <paramref name="digit"/>.</summary>
    private string Run(string id, int customers, char digit)
    {
        var run = Path.Combine(work.FullName, "runs", id);
        Directory.CreateDirectory(run);
        File.WriteAllLines(Path.Combine(run, "submission.csv"),
            ["customer_id,prediction", .. Enumerable.Range(0, customers).Select(c => $"c{c:D5},{string.Join(' ', Enumerable.Range(0, 12).Select(i => $"{digit}{i:D9}"))}")]);
        return run;
    }

    private static ChampionManifest Manifest(string id) => new(id, new DateOnly(2020, 9, 22), "lgb_binary", 0.1, 0.05, [.. Enumerable.Range(0, 12).Select(i => $"09{i:D8}")], 0, "test");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AReaderDuringSwaps_SeesTheOldChampionOrTheNew_NeverAMix(bool blob)
    {
        var store = await Store(blob);
        var reader = await Store(blob, "reader");
        store.Install(Run("run-a", 2_000, '1'), Manifest("run-a"), null, null);
        store.Install(Run("run-b", 2_000, '2'), Manifest("run-b"), null, null);
        store.Swap("run-a", "first", DateTime.UtcNow);
        using var stop = new CancellationTokenSource();
        var swaps = Task.Run(() =>
        {
            for (var i = 0; i < (blob ? 40 : 300); i++)
            {
                using (store.Lock(TimeSpan.FromSeconds(10)))
                {
                    store.Swap(i % 2 == 0 ? "run-b" : "run-a", $"swap {i}", DateTime.UtcNow.AddSeconds(i));
                }
            }
            stop.Cancel();
        });
        var reads = 0;
        var seen = new HashSet<string>();
        while (!stop.IsCancellationRequested || reads == 0)
        {
            var pointer = reader.Current()!;
            var index = ChampionIndex.Load(reader, pointer);
            var digit = pointer.RunId == "run-a" ? "1" : "2";
            Assert.Equal(pointer.RunId, index.Manifest.RunId);
            Assert.Equal(2_000, index.Customers);
            Assert.All(new[] { "c00000", "c01999" }, c => Assert.All(index.For(c).Articles, a => Assert.StartsWith(digit, a, StringComparison.Ordinal)));
            seen.Add(pointer.RunId);
            reads++;
        }
        await swaps;
        Assert.Equal(["run-a", "run-b"], seen.Order());
        Assert.Empty(Directory.EnumerateFiles(store.Root, "*.tmp-*"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rollback_ReturnsToThePreviousChampion_AndRefusesWhenThereIsNone(bool blob)
    {
        var store = await Store(blob);
        store.Install(Run("run-a", 10, '1'), Manifest("run-a"), null, null);
        store.Install(Run("run-b", 10, '2'), Manifest("run-b"), null, null);
        store.Swap("run-a", "first", DateTime.UtcNow);
        var second = store.Swap("run-b", "better", DateTime.UtcNow);
        Assert.Equal(["run-a"], second.Previous);

        var back = ChampionActions.Rollback(store, DateTime.UtcNow);
        Assert.Equal("run-a", back.RunId);
        Assert.Equal("run-a", store.Current()!.RunId);
        Assert.Contains("rolled back from run-b", back.Reason, StringComparison.Ordinal);
        var none = Assert.Throws<InvalidOperationException>(() => ChampionActions.Rollback(store, DateTime.UtcNow));
        Assert.Contains("none before it", none.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serving_AnswersTheSubmissionsList_AndTheColdStartListForOthers(bool blob)
    {
        var store = await Store(blob);
        var run = Run("run-a", 50, '1');
        // Customers with lists of their own, beside the shared one.
        File.AppendAllLines(Path.Combine(run, "submission.csv"), ["own1,0100000001 0100000002", "own2,0200000001"]);
        store.Install(run, Manifest("run-a"), null, null);
        store.Swap("run-a", "first", DateTime.UtcNow);

        var served = await Store(blob, "server");
        var index = ChampionIndex.Load(served, served.Current()!);
        foreach (var line in File.ReadLines(Path.Combine(run, "submission.csv")).Skip(1))
        {
            var (customer, prediction) = (line.Split(',')[0], line.Split(',')[1]);
            var answer = index.For(customer);
            Assert.Equal(prediction.Split(' '), answer.Articles);
            Assert.Equal(ChampionIndex.FromChampion, answer.Source);
        }
        var unknown = index.For("never-seen");
        Assert.Equal(ChampionIndex.ColdStart, unknown.Source);
        Assert.Equal(Manifest("run-a").Fallback, unknown.Articles);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServingCache_FollowsTheChampion_WhenItChanges(bool blob)
    {
        var store = await Store(blob);
        var serving = new ChampionServing(await Store(blob, "server"));
        Assert.Null(await serving.CurrentAsync(CancellationToken.None));
        store.Install(Run("run-a", 10, '1'), Manifest("run-a"), null, null);
        store.Install(Run("run-b", 10, '2'), Manifest("run-b"), null, null);
        store.Swap("run-a", "first", DateTime.UtcNow);
        Assert.Equal("run-a", (await serving.CurrentAsync(CancellationToken.None))!.Pointer.RunId);
        store.Swap("run-b", "better", DateTime.UtcNow.AddSeconds(1));
        // The pointer is read again at most once a second.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await serving.CurrentAsync(CancellationToken.None))!.Pointer.RunId != "run-b")
        {
            Assert.True(DateTime.UtcNow < deadline, "the serving index did not follow the champion within 10 s");
            await Task.Delay(100);
        }
        Assert.All((await serving.CurrentAsync(CancellationToken.None))!.For("c00001").Articles, a => Assert.StartsWith("2", a, StringComparison.Ordinal));
    }
}
