using System.Security.Cryptography;
using System.Text.Json;

namespace HmRec.Activities.Options;

/// <summary>
/// A run's id derives from its options and its input files (name, size, last write time), so the same
/// command on the same data finds the same run again and resumes it instead of starting over.
/// </summary>
public static class RunIdentity
{
    public static string Compute(PipelineOptions options, IEnumerable<string> inputFiles)
    {
        var text = new StringBuilder(JsonSerializer.Serialize(options));
        foreach (var file in inputFiles.OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            text.Append('|').Append(Path.GetFileName(file)).Append(':').Append(info.Exists ? info.Length : -1)
                .Append(':').Append(info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
        }
        return "run-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }
}
