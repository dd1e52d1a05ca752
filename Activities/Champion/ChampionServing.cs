namespace HmRec.Activities.Champion;

/// <summary>One customer's recommendations: the champion's 12 articles, or the cold-start list for a customer it does not name.</summary>
public sealed record Recommendation(string CustomerId, IReadOnlyList<string> Articles, string Source);

/// <summary>
/// A champion's submission as an index: customer id to its articles, the articles kept as numbers (12 per customer in
/// one array), loaded once per champion.
/// </summary>
public sealed class ChampionIndex
{
    public const string FromChampion = "champion";
    public const string ColdStart = "cold start";

    /// <summary>The most articles a customer's list holds.</summary>
    private const int Width = 12;

    private readonly Dictionary<string, int> customers;
    private readonly int[] articles;
    private readonly byte[] counts;

    private ChampionIndex(ChampionPointer pointer, ChampionManifest manifest, Dictionary<string, int> customers, int[] articles, byte[] counts)
    {
        Pointer = pointer;
        Manifest = manifest;
        this.customers = customers;
        this.articles = articles;
        this.counts = counts;
    }

    public ChampionPointer Pointer { get; }

    public ChampionManifest Manifest { get; }

    public int Customers => customers.Count;

    /// <summary>
    /// Reads champion <paramref name="pointer"/>'s submission (<c>customer_id,prediction</c>: up to 12 article ids, as the
    /// submission writes them, zero-padded to 10 digits) into an index; a malformed line fails naming the file and line.
    /// </summary>
    public static ChampionIndex Load(ChampionStore store, ChampionPointer pointer)
    {
        var manifest = store.Manifest(pointer.RunId);
        var path = Path.Combine(store.Local(pointer.RunId), ChampionStore.SubmissionFile);
        var expected = (int)Math.Clamp(manifest.Customers, 0, int.MaxValue / Width);
        var customers = new Dictionary<string, int>(expected, StringComparer.Ordinal);
        var articles = new List<int>(expected * Width);
        var counts = new List<byte>(expected);
        using var reader = new StreamReader(path);
        reader.ReadLine();
        var number = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma <= 0)
            {
                throw new InvalidDataException($"{path}:{number}: expected customer_id,prediction.");
            }
            var count = 0;
            foreach (var range in line.AsSpan(comma + 1).Split(' '))
            {
                var token = line.AsSpan(comma + 1)[range];
                if (token.IsEmpty)
                {
                    continue;
                }
                if (count == Width || token.Length > 10 || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var article))
                {
                    throw new InvalidDataException($"{path}:{number}: the prediction must be at most {Width} article ids of up to 10 digits.");
                }
                articles.Add(article);
                count++;
            }
            for (var i = count; i < Width; i++)
            {
                articles.Add(0);
            }
            customers[line[..comma]] = counts.Count;
            counts.Add((byte)count);
        }
        return new ChampionIndex(pointer, manifest, customers, [.. articles], [.. counts]);
    }

    /// <summary>The champion's list for <paramref name="customerId"/>, or the cold-start list when the submission does not name it.</summary>
    public Recommendation For(string customerId)
    {
        if (!customers.TryGetValue(customerId, out var index))
        {
            return new Recommendation(customerId, Manifest.Fallback, ColdStart);
        }
        var list = new string[counts[index]];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = articles[index * Width + i].ToString("D10", CultureInfo.InvariantCulture);
        }
        return new Recommendation(customerId, list, FromChampion);
    }
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
            var pointer = await Task.Run(store.Current, cancellationToken).ConfigureAwait(false);
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
