namespace HmRec.Shared.Native;

/// <summary>
/// How to find one native library: an environment variable naming the file, a path inside the
/// project's <c>tools/</c> folder (npm-delivered libraries), then the names the system loader knows.
/// </summary>
/// <param name="Name">The name used in <c>[LibraryImport]</c>.</param>
/// <param name="EnvironmentVariable">Variable that, when set, names the library file to load.</param>
/// <param name="ToolsRelativePath">Path under <c>tools/</c>, or null when the library never comes from there.</param>
/// <param name="SystemNames">File names tried with the system loader, in order.</param>
/// <param name="InstallHint">What a user should do when nothing was found.</param>
public sealed record NativeLibrarySpec(
    string Name,
    string EnvironmentVariable,
    string? ToolsRelativePath,
    IReadOnlyList<string> SystemNames,
    string InstallHint);
