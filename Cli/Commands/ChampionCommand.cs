using HmRec.Activities.Champion;

namespace HmRec.Cli.Commands;

/// <summary>
/// <c>hmrec champion</c>: the champion whose recommendations are served and every run's promotion decision;
/// <c>promote --id</c> and <c>rollback</c> change it by hand; <c>recommend --customer</c> answers as the HTTP route does.
/// </summary>
internal static class ChampionCommand
{
    public static Command Create()
    {
        var store = new Option<DirectoryInfo?>("--store") { Description = "Store folder of the runs (default: HMREC_STORE, else .hmrec); with AzureWebJobsStorage set, the champion is the runs' container's, as hmrec serve keeps it." };
        var show = new Command("champion", "Show the champion and the history of every run's promotion decision.") { store };
        show.SetAction(async (parse, token) => await OpenAsync(parse.GetValue(store)) is { } champion ? Show(champion) : 2);

        var id = new Option<string>("--id") { Description = "The finished run to make the champion.", Required = true };
        var promote = new Command("promote", "Make a finished run the champion by hand, whatever its numbers.") { store, id };
        promote.SetAction(async (parse, token) => await OpenAsync(parse.GetValue(store)) is { } champion
            ? await ChangeAsync(() => ChampionActions.PromoteAsync(champion, parse.GetValue(id)!, DateTime.UtcNow, token)) : 2);
        var rollback = new Command("rollback", "Return to the champion before the current one.") { store };
        rollback.SetAction(async (parse, token) => await OpenAsync(parse.GetValue(store)) is { } champion
            ? await ChangeAsync(() => Task.FromResult(ChampionActions.Rollback(champion, DateTime.UtcNow))) : 2);

        var customer = new Option<string[]>("--customer") { Description = "Customer ids (one or more).", Required = true, AllowMultipleArgumentsPerToken = true };
        var recommend = new Command("recommend", "The champion's 12 articles for customers, as GET /api/recommendations/{customerId} answers.") { store, customer };
        recommend.SetAction(async (parse, token) =>
        {
            if (await OpenAsync(parse.GetValue(store)) is not { } champion)
            {
                return 2;
            }
            var serving = new ChampionServing(champion);
            if (await serving.CurrentAsync(token) is not { } index)
            {
                Console.Error.WriteLine("error: no run has been promoted to champion yet.");
                return 1;
            }
            foreach (var r in parse.GetValue(customer)!.Select(index.For))
            {
                Console.WriteLine($"{r.CustomerId}  {string.Join(' ', r.Articles)}  ({r.Source})");
            }
            return 0;
        });
        show.Subcommands.Add(promote);
        show.Subcommands.Add(rollback);
        show.Subcommands.Add(recommend);
        return show;
    }

    /// <summary>
    /// The champion store as <c>hmrec serve</c> keeps it: beside the store folder's runs, or in the runs' container
    /// (with a local cache in the store's scratch folder) when AzureWebJobsStorage is set; null after saying why not.
    /// </summary>
    private static async Task<ChampionStore?> OpenAsync(DirectoryInfo? folder)
    {
        if (CliSettings.Load() is not { } settings)
        {
            return null;
        }
        try
        {
            var storage = await Host.HttpHost.Blobs(settings);
            return ChampionStore.In(Activities.Common.RunPreparation.RunsRoot(folder?.FullName ?? Path.GetFullPath(settings.App.Store), storage), storage?.Mirror.Client);
        }
        catch (Exception e) when (e is ArgumentException or IOException or Azure.RequestFailedException)
        {
            Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            return null;
        }
    }

    private static async Task<int> ChangeAsync(Func<Task<ChampionPointer>> change)
    {
        try
        {
            var pointer = await change();
            Console.WriteLine($"Champion: {pointer.RunId} ({pointer.Reason}).");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Azure.RequestFailedException)
        {
            Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    private static int Show(ChampionStore store)
    {
        if (store.Current() is { } pointer)
        {
            var manifest = store.Manifest(pointer.RunId);
            Console.WriteLine($"Champion: {pointer.RunId}, data to {manifest.DataLastDay:yyyy-MM-dd}, {manifest.Model} MAP@12 {manifest.Map12:F5} "
                + $"({(manifest.RuleMap12 > 0 ? $"{manifest.Map12 / manifest.RuleMap12:F2}x" : "above")} the rule), since {pointer.Changed:yyyy-MM-dd HH:mm} UTC: {pointer.Reason}");
        }
        else
        {
            Console.WriteLine("Champion: none yet.");
        }
        WriteHistory(store.History());
        return 0;
    }

    /// <summary>Every run's decision as a table: its data, its best ranker, the rule, the champion on the same week, promoted or not.</summary>
    internal static void WriteHistory(IReadOnlyList<PromotionDecision> history)
    {
        if (history.Count == 0)
        {
            Console.WriteLine("No run has reached the promotion step yet.");
            return;
        }
        var table = new Table().AddColumn("data to").AddColumn("run").AddColumn("best ranker").AddColumn(new TableColumn("MAP@12").RightAligned())
            .AddColumn(new TableColumn("rule").RightAligned()).AddColumn(new TableColumn("x rule").RightAligned())
            .AddColumn(new TableColumn("champion on that week").RightAligned()).AddColumn("promoted");
        foreach (var d in history)
        {
            table.AddRow(d.DataLastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Markup.Escape(d.RunId), Markup.Escape(d.Model ?? "-"),
                d.Map12.ToString("F5", CultureInfo.InvariantCulture), d.RuleMap12.ToString("F5", CultureInfo.InvariantCulture),
                d.RatioToRule is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) : "-",
                d.ChampionMap12 is { } c ? $"{c.ToString("F5", CultureInfo.InvariantCulture)} ({Markup.Escape(d.ChampionRun ?? "")})" : d.ChampionRun is null ? "none" : "not scored",
                d.Promoted ? "yes" : "no");
        }
        AnsiConsole.Write(table);
    }
}
