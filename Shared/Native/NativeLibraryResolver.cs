using System.Collections.Concurrent;
using System.Reflection;

namespace HmRec.Shared.Native;

/// <summary>
/// Resolves the native libraries HmRec binds to itself (OpenBLAS, CUDA): environment variable, then next to the
/// application, then the system loader. (DuckDB and LightGBM come with their NuGet packages.)
/// </summary>
public static class NativeLibraryResolver
{
    /// <summary>OpenBLAS (sgemm for the two-tower CPU backend), from Debian's libopenblas0-pthread; its kernels chosen by <see cref="OpenBlasCore"/>.</summary>
    public static readonly NativeLibrarySpec OpenBlas = new(
        "openblas",
        "HMREC_OPENBLAS_LIB",
        ["libopenblas.so.0", "libopenblas.so"],
        "run 'make setup' (it installs Debian's libopenblas0-pthread) or set HMREC_OPENBLAS_LIB",
        OpenBlasCore.Prepare);

    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, NativeLibrarySpec>> Registered = new();
    private static readonly ConcurrentDictionary<string, IntPtr> Loaded = new(StringComparer.Ordinal);

    /// <summary>
    /// Installs the resolver for <paramref name="assembly"/>. The runtime allows one resolver per
    /// assembly, so each assembly registers all the libraries it imports in one call.
    /// </summary>
    public static void Register(Assembly assembly, params NativeLibrarySpec[] libraries)
    {
        var map = libraries.ToDictionary(l => l.Name, StringComparer.Ordinal);
        if (Registered.TryAdd(assembly, map))
        {
            NativeLibrary.SetDllImportResolver(assembly, (name, asm, _) =>
                Registered.TryGetValue(asm, out var specs) && specs.TryGetValue(name, out var spec) ? Load(spec) : IntPtr.Zero);
        }
    }

    /// <summary>Loads a library following the spec, or throws with every place that was tried.</summary>
    public static IntPtr Load(NativeLibrarySpec spec) => Loaded.GetOrAdd(spec.Name, _ => LoadUncached(spec));

    /// <summary>The repository's tools/ folder (npm-delivered tools: Azurite), found by walking up from the app and the working directory.</summary>
    public static string? FindToolsDirectory()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var tools = Path.Combine(dir.FullName, "tools");
                if (File.Exists(Path.Combine(tools, "package.json")))
                {
                    return tools;
                }
            }
        }
        return null;
    }

    private static IntPtr LoadUncached(NativeLibrarySpec spec)
    {
        spec.BeforeLoad?.Invoke();
        var tried = new List<string>();
        var fromEnv = Environment.GetEnvironmentVariable(spec.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            if (NativeLibrary.TryLoad(fromEnv, out var h))
            {
                return h;
            }
            // An explicit setting that does not load is an error, not a reason to fall back silently.
            throw new DllNotFoundException(
                $"{spec.EnvironmentVariable}='{fromEnv}' does not name a loadable {spec.Name} library (file missing or wrong architecture).");
        }
        tried.Add($"{spec.EnvironmentVariable} (not set)");

        // Next to the application (a self-contained publish copies the library there).
        foreach (var name in spec.SystemNames)
        {
            var local = Path.Combine(AppContext.BaseDirectory, name);
            if (File.Exists(local) && NativeLibrary.TryLoad(local, out var h))
            {
                return h;
            }
        }

        foreach (var name in spec.SystemNames)
        {
            if (NativeLibrary.TryLoad(name, out var h))
            {
                return h;
            }
            tried.Add($"system loader: {name}");
        }

        throw new DllNotFoundException(
            $"Native library '{spec.Name}' was not found. Tried: {string.Join("; ", tried)}. Fix: {spec.InstallHint}.");
    }
}
