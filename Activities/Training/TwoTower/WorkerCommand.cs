namespace HmRec.Activities.Training.TwoTower;

/// <summary>
/// Finds the <c>hmrec-train-gpu</c> worker: <c>HMREC_TRAIN_GPU</c> (its executable or its .dll), else the
/// build next to this application (the host references the worker project, so its output lands here).
/// </summary>
public static class WorkerCommand
{
    public const string EnvironmentVariable = "HMREC_TRAIN_GPU";
    public const string AssemblyName = "hmrec-train-gpu";

    /// <summary>The program to run and the arguments that come before the worker's own.</summary>
    public static (string FileName, IReadOnlyList<string> Prefix) Locate()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!File.Exists(configured))
            {
                throw new InputDataException(configured, null, null, $"{EnvironmentVariable} names no file; expected the hmrec-train-gpu executable or its .dll");
            }
            return Resolve(configured);
        }
        var local = Path.Combine(AppContext.BaseDirectory, AssemblyName + ".dll");
        if (File.Exists(local))
        {
            return Resolve(local);
        }
        throw new FileNotFoundException($"The two-tower worker ({AssemblyName}) was not found next to {AppContext.BaseDirectory}; build the solution or set {EnvironmentVariable}.");
    }

    private static (string, IReadOnlyList<string>) Resolve(string path)
    {
        if (!path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return (Path.GetFullPath(path), []);
        }
        // A framework-dependent build runs on the same dotnet host as this process.
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return (host, [Path.GetFullPath(path)]);
    }
}
