using System.Diagnostics;

namespace HmRec.Shared.Data;

/// <summary>
/// Temporary files and folders are named <c>{name}.tmp-{pid}-…</c> or <c>.scratch-{pid}-…</c> after the
/// process that writes them. When that process was killed, nothing else removes them: the next writer
/// does, once it sees that the process is gone.
/// </summary>
public static class Abandoned
{
    /// <summary>Deletes entries of <paramref name="directory"/> matching <paramref name="prefix"/> + pid whose process no longer runs.</summary>
    public static void Delete(string directory, string prefix)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, prefix + "*"))
        {
            var rest = Path.GetFileName(entry)[prefix.Length..];
            var end = rest.IndexOf('-', StringComparison.Ordinal);
            if (!int.TryParse(end < 0 ? rest : rest[..end], CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId || IsAlive(pid))
            {
                continue;
            }
            try
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
            catch (IOException)
            {
                // Another process cleaned it first.
            }
        }
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
