namespace HmRec.Cli.Tests.Commands;

/// <summary>Runs the built <c>hmrec</c> CLI as a child process, as a user would.</summary>
internal static class HmRecProcess
{
    public static (int ExitCode, string Out, string Error) Run(string workingDirectory, params string[] args) => Run(workingDirectory, null, args);

    /// <summary>Runs hmrec with <paramref name="environment"/> added to this process's environment.</summary>
    public static (int ExitCode, string Out, string Error) Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Run(Path.Combine(AppContext.BaseDirectory, "hmrec.dll"), workingDirectory, environment, args);

    /// <summary>Runs the hmrec at <paramref name="app"/> (a copy of the built CLI elsewhere).</summary>
    public static (int ExitCode, string Out, string Error) RunApp(string app, string workingDirectory, params string[] args) => Run(app, workingDirectory, null, args);

    /// <summary>Runs the hmrec at <paramref name="app"/> with <paramref name="environment"/> added to this process's environment.</summary>
    public static (int ExitCode, string Out, string Error) RunApp(string app, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run(app, workingDirectory, environment, args);

    private static (int ExitCode, string Out, string Error) Run(string app, string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        start.ArgumentList.Add(app);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hmrec {string.Join(' ', args)} did not finish in 5 minutes.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
