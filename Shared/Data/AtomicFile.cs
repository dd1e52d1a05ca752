namespace HmRec.Shared.Data;

/// <summary>
/// Writes a file so that readers see the old content or the new, never a part: the content goes to a temporary file
/// beside it (<c>{name}.tmp-{pid}-{random}</c>, the one scheme <see cref="Abandoned"/> cleans up and blob mirrors skip),
/// which then replaces the file in one rename.
/// </summary>
public static class AtomicFile
{
    /// <summary>A temporary path beside <paramref name="path"/> that no other writer uses.</summary>
    public static string TempPath(string path) => $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, creating its folder.</summary>
    public static void WriteAllText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    /// <summary>Has <paramref name="write"/> write a temporary file, then moves it over <paramref name="path"/>; the temporary file is removed on failure.</summary>
    public static void Write(string path, Action<string> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = TempPath(path);
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
