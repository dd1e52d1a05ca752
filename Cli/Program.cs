using HmRec.Cli.Commands;
using Spectre.Console;

// Redirected output (a log, CI) has no terminal width; keep tables on one line per row.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 160;
}
return await HmRecCli.RunAsync(args);
