namespace HmRec.TestSupport;

/// <summary>
/// A folder of its own under the system's temp folder (<c>hmrec-{name}-{guid}</c>), for one test class or fixture,
/// deleted with everything in it when disposed. It is not created: what writes there creates it. It stands where a
/// path is expected.
/// </summary>
public sealed class TempFolder(string name) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hmrec-{name}-{Guid.NewGuid():N}");

    public static implicit operator string(TempFolder folder) => folder.Path;

    public override string ToString() => Path;

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
