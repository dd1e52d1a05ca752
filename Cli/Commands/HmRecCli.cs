using System.CommandLine;

namespace HmRec.Cli.Commands;

/// <summary>The <c>hmrec</c> command line.</summary>
public static class HmRecCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("HmRec: trains and evaluates a multi-stage H&M fashion recommender as a durable workflow.");
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(WorkerCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
