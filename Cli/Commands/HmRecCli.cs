using System.Text.RegularExpressions;

namespace HmRec.Cli.Commands;

/// <summary>
/// The <c>hmrec</c> command line, with the ecosystem's conventions: a bad flag or value is one line naming it (in the
/// options' own terms, no .NET type names) and "see --help", exit code 2; <c>hmrec help [command]</c> is
/// <c>hmrec [command] --help</c>.
/// </summary>
public static partial class HmRecCli
{
    /// <summary>Parses <paramref name="args"/> and runs the command; a usage error is reported here, exit code 2.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["help", .. var rest])
        {
            args = [.. rest, "--help"];
        }
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            var names = new List<string>();
            for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Insert(0, result.Command is RootCommand ? "hmrec" : result.Command.Name);
            }
            // An unknown word says more than the missing command it leaves behind.
            var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
            Console.Error.WriteLine($"error: {Describe(error.Message)}");
            Console.Error.WriteLine($"See '{string.Join(' ', names)} --help'.");
            return 2;
        }
        return await parse.InvokeAsync();
    }

    /// <summary>A parse error in the options' terms: the expected kind of value rather than its .NET type.</summary>
    internal static string Describe(string message) => ExpectedType().Replace(message, m =>
    {
        var kind = m.Groups["type"].Value switch
        {
            var t when t.Contains("Int32", StringComparison.Ordinal) || t.Contains("Int64", StringComparison.Ordinal) => "a whole number",
            var t when t.Contains("UInt64", StringComparison.Ordinal) => "a whole number, 0 or more",
            var t when t.Contains("Double", StringComparison.Ordinal) => "a number",
            var t when t.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            var t when t.Contains("DirectoryInfo", StringComparison.Ordinal) || t.Contains("FileInfo", StringComparison.Ordinal) => "a path",
            _ => "a value of another kind",
        };
        return $"{m.Groups["option"].Value}: '{m.Groups["value"].Value}' is not {kind}.";
    });

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*?)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?")]
    private static partial Regex ExpectedType();

    public static RootCommand Build()
    {
        var root = new RootCommand("HmRec: trains and evaluates a multi-stage H&M fashion recommender as a durable workflow.");
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ChampionCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
