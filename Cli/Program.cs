using HmRec.Cli.Commands;

// Redirected output (a log, CI) has no terminal width; keep tables on one line per row.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 160;
}
return await HmRecCli.RunAsync(args);
