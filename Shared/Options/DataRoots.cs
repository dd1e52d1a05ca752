namespace HmRec.Shared.Options;

/// <summary>
/// The folders a host reads input data and embeddings from (<c>HMREC_DATA_ROOTS</c>): a path in a start request must lie
/// under one of them once <c>..</c> and symbolic links are resolved. A path outside gets one message whether or not it
/// exists, so that the answer does not reveal what the server's disk holds.
/// </summary>
public sealed class DataRoots
{
    /// <summary>The setting: folders separated by <see cref="Path.PathSeparator"/>.</summary>
    public const string Setting = "HMREC_DATA_ROOTS";

    private readonly string[] roots;

    public DataRoots(IEnumerable<string> roots) => this.roots = [.. roots.Select(Canonical).Distinct(StringComparer.Ordinal)];

    /// <summary>The roots, resolved.</summary>
    public IReadOnlyList<string> Roots => roots;

    /// <summary>
    /// The roots of a host: <paramref name="setting"/> when set, else the store's <c>data</c> folder (where generated and
    /// uploaded data go) and the folders given on the command line.
    /// </summary>
    public static DataRoots For(string? setting, string store, IEnumerable<string>? given = null) =>
        new(setting is { Length: > 0 }
            ? setting.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [Path.Combine(store, "data"), .. given ?? []]);

    /// <summary>
    /// <paramref name="path"/>, resolved, when it lies under a root; else an <see cref="ArgumentException"/> naming
    /// <paramref name="option"/> and the setting (the same message whether the path exists or not).
    /// </summary>
    public string Check(string option, string path)
    {
        var resolved = Canonical(path);
        if (roots.Any(root => resolved == root || resolved.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal)))
        {
            return resolved;
        }
        var shown = path.Length > 200 ? path[..200] + "..." : path;
        throw new ArgumentException($"{option}: '{shown}' is not under the folders this host reads data from (the setting {Setting}).");
    }

    /// <summary>The absolute path of <paramref name="path"/> with <c>.</c>, <c>..</c> and every symbolic link on the way resolved (parts that do not exist are kept as written).</summary>
    public static string Canonical(string path)
    {
        var pending = new List<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var resolved = "/";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending[0];
            pending.RemoveAt(0);
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? "/";
                continue;
            }
            var next = Path.Join(resolved, part);
            string? target = null;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable: kept as written.
            }
            if (target is not null && ++links <= 40)
            {
                // The link's target replaces it, resolved in turn: relative targets from the link's folder.
                pending.InsertRange(0, target.Split('/', StringSplitOptions.RemoveEmptyEntries));
                if (Path.IsPathRooted(target))
                {
                    resolved = "/";
                }
                continue;
            }
            resolved = next;
        }
        return resolved;
    }
}
