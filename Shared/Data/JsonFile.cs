using System.Text.Json;

namespace HmRec.Shared.Data;

/// <summary>The project's JSON files (summaries, manifests, reports, pointers): indented, and written atomically.</summary>
public static class JsonFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary><paramref name="value"/> as the indented JSON the project's files hold.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Indented);

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> (<see cref="AtomicFile"/>: readers see the old file or the new).</summary>
    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, Serialize(value));
}
