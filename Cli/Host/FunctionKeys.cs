using System.Security.Cryptography;
using System.Text;

namespace HmRec.Cli.Host;

/// <summary>
/// The host's keys: the function key for <c>/api/*</c> and the system key for <c>/runtime/*</c>, from the
/// settings (HMREC_FUNCTION_KEY, HMREC_SYSTEM_KEY) or, when a setting is empty, generated once and kept in
/// the store's <c>host-keys.json</c> (as the Functions host keeps its keys in its storage). A request gives
/// its key in the <c>x-functions-key</c> header or the <c>code</c> query parameter; keys are compared in
/// constant time.
/// </summary>
internal sealed record FunctionKeys(string FunctionKey, string SystemKey)
{
    public const string Header = "x-functions-key";
    public const string File = "host-keys.json";

    public static FunctionKeys Load(string store, string? functionKey, string? systemKey)
    {
        var path = Path.Combine(store, File);
        FunctionKeys? kept = null;
        if (System.IO.File.Exists(path))
        {
            kept = JsonSerializer.Deserialize<FunctionKeys>(System.IO.File.ReadAllText(path));
        }
        if (kept is null && (functionKey is null || systemKey is null))
        {
            kept = new FunctionKeys(NewKey(), NewKey());
            // Created readable by the owner only from the start, then moved into place.
            HmRec.Shared.Data.AtomicFile.Write(path, temp =>
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var file = new FileStream(temp, options);
                JsonSerializer.Serialize(file, kept);
            });
        }
        return new FunctionKeys(functionKey ?? kept!.FunctionKey, systemKey ?? kept!.SystemKey);
    }

    /// <summary>True when <paramref name="given"/> equals <paramref name="expected"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
