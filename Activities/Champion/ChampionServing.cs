namespace HmRec.Activities.Champion;

/// <summary>One customer's recommendations: the champion's 12 articles, or the cold-start list for a customer it does not name.</summary>
public sealed record Recommendation(string CustomerId, IReadOnlyList<string> Articles, string Source);

/// <summary>
/// A champion's submission as an index: customer id to its 12 articles (the distinct lists stored once), loaded once
/// per champion.
/// </summary>
public sealed class ChampionIndex
{
    public const string FromChampion = "champion";
    public const string ColdStart = "cold start";

    private readonly Dictionary<string, int> customers;
    private readonly string[][] lists;

    private ChampionIndex(ChampionPointer pointer, ChampionManifest manifest, Dictionary<string, int> customers, string[][] lists)
    {
        Pointer = pointer;
        Manifest = manifest;
        this.customers = customers;
        this.lists = lists;
    }

    public ChampionPointer Pointer { get; }

    public ChampionManifest Manifest { get; }

    public int Customers => customers.Count;

    /// <summary>Reads champion <paramref name="pointer"/>'s submission (<c>customer_id,prediction</c>) into an index.</summary>
    public static ChampionIndex Load(ChampionStore store, ChampionPointer pointer)
    {
        var manifest = store.Manifest(pointer.RunId);
        var path = Path.Combine(store.Directory(pointer.RunId), ChampionStore.SubmissionFile);
        var customers = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        var lists = new List<string[]>();
        using var reader = new StreamReader(path);
        var line = reader.ReadLine();
        var number = 1;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0)
            {
                throw new InvalidDataException($"{path}:{number}: expected customer_id,prediction.");
            }
            var prediction = line[(comma + 1)..];
            if (!distinct.TryGetValue(prediction, out var index))
            {
                distinct[prediction] = index = lists.Count;
                lists.Add(prediction.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            customers[line[..comma]] = index;
        }
        return new ChampionIndex(pointer, manifest, customers, [.. lists]);
    }

    /// <summary>The champion's list for <paramref name="customerId"/>, or the cold-start list when the submission does not name it.</summary>
    public Recommendation For(string customerId) =>
        customers.TryGetValue(customerId, out var index)
            ? new Recommendation(customerId, lists[index], FromChampion)
            : new Recommendation(customerId, Manifest.Fallback, ColdStart);
}

/// <summary>
/// The current champion's index for a host: loaded on first use and again when the champion changes (the pointer is
/// read at most once a second); a reload is built beside the index in use and then replaces it, so requests never
/// wait for it once a champion has been loaded.
/// </summary>
public sealed class ChampionServing(ChampionStore store)
{
    private readonly SemaphoreSlim loading = new(1, 1);
    private volatile ChampionIndex? index;
    private long checkedAt = long.MinValue;

    public ChampionStore Store => store;

    /// <summary>The current champion's index, or null while there is no champion.</summary>
    public async Task<ChampionIndex?> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        var loaded = index;
        if (loaded is not null && now - Interlocked.Read(ref checkedAt) < 1000)
        {
            return loaded;
        }
        // While another request reloads, the index in use answers.
        if (loaded is not null && !loading.Wait(0))
        {
            return loaded;
        }
        if (loaded is null)
        {
            await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        try
        {
            loaded = index;
            if (loaded is not null && Environment.TickCount64 - checkedAt < 1000)
            {
                return loaded;
            }
            var pointer = store.Current();
            if (pointer is not null && (pointer.RunId != loaded?.Pointer.RunId || pointer.Changed != loaded.Pointer.Changed))
            {
                loaded = index = await Task.Run(() => ChampionIndex.Load(store, pointer), cancellationToken).ConfigureAwait(false);
            }
            else if (pointer is null)
            {
                loaded = index = null;
            }
            Interlocked.Exchange(ref checkedAt, Environment.TickCount64);
            return loaded;
        }
        finally
        {
            loading.Release();
        }
    }
}
