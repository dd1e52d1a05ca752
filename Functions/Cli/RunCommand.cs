using System.CommandLine;

namespace HmRec.Functions.Cli;

internal static class RunCommand
{
    public static Command Create() => new("run", "Run the pipeline.");
}
