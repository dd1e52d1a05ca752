namespace HmRec.Shared.Native;

/// <summary>
/// How to find one native library: an environment variable naming the file, then the names the system loader knows
/// (next to the application first).
/// </summary>
/// <param name="Name">The name used in <c>[LibraryImport]</c>.</param>
/// <param name="EnvironmentVariable">Variable that, when set, names the library file to load.</param>
/// <param name="SystemNames">File names tried with the system loader, in order.</param>
/// <param name="InstallHint">What a user should do when nothing was found.</param>
/// <param name="BeforeLoad">Runs once before the library is loaded (to set what it reads when it loads).</param>
public sealed record NativeLibrarySpec(
    string Name,
    string EnvironmentVariable,
    IReadOnlyList<string> SystemNames,
    string InstallHint,
    Action? BeforeLoad = null);
