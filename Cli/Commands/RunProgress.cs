namespace HmRec.Cli.Commands;

/// <summary>
/// A pipeline run's progress on the console. On a terminal: live bars (Spectre.Console), one per stage, with the
/// stage's latest activity detail (a ranker's round and validation MAP@12, the network's epoch, scoring parts),
/// the elapsed time and an estimate of what remains. In a log (output redirected): a line every 10 % of a stage,
/// as <see cref="ConsoleProgress"/> writes them, and activity details at most every 15 seconds.
/// </summary>
internal abstract class RunProgress : IAsyncDisposable
{
    /// <summary>Live bars when the console is an interactive terminal, log lines otherwise.</summary>
    public static RunProgress Create() =>
        Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive ? new LogLines(Console.Out) : new LiveBars();

    /// <summary>The orchestration's stage and how many of its activities are done.</summary>
    public abstract void Report(string stage, long done, long total);

    /// <summary>What an activity of the current stage is doing.</summary>
    public abstract void Detail(string message);

    /// <summary>Ends the display; the console is free for other output after it.</summary>
    public abstract ValueTask DisposeAsync();

    private sealed class LogLines(TextWriter output) : RunProgress
    {
        private static readonly TimeSpan DetailEvery = TimeSpan.FromSeconds(15);
        private readonly ConsoleProgress lines = new(output);
        private readonly Stopwatch sinceDetail = new();
        private string stage = "";
        private string lastDetail = "";

        public override void Report(string stage, long done, long total)
        {
            lock (this)
            {
                if (stage != this.stage)
                {
                    this.stage = stage;
                    sinceDetail.Reset();
                }
            }
            lines.Report(stage, done, total);
        }

        public override void Detail(string message)
        {
            lock (this)
            {
                // At most one line every 15 s, and none that repeats the last (the network's epoch, polled every 30 s).
                if ((sinceDetail.IsRunning && sinceDetail.Elapsed < DetailEvery) || message == lastDetail)
                {
                    return;
                }
                sinceDetail.Restart();
                lastDetail = message;
            }
            lines.Detail(message);
        }

        public override ValueTask DisposeAsync()
        {
            lines.Done();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class LiveBars : RunProgress
    {
        private const int DetailWidth = 72;
        private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<ProgressContext> context = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task? display;
        private ProgressTask? current;
        private string stage = "";
        private bool disposed;

        public override void Report(string stage, long done, long total)
        {
            lock (this)
            {
                if (disposed)
                {
                    return;
                }
                // The display starts with the first stage, after the lines the command printed before it.
                display ??= AnsiConsole.Progress()
                    .AutoClear(false)
                    .HideCompleted(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                        new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        context.SetResult(ctx);
                        await finished.Task;
                    });
                var ctx = context.Task.GetAwaiter().GetResult();
                if (stage != this.stage || current is null)
                {
                    Complete();
                    this.stage = stage;
                    current = ctx.AddTask(Markup.Escape(stage), maxValue: Math.Max(1, total));
                }
                current.MaxValue = Math.Max(1, total);
                current.Value = Math.Min(done, current.MaxValue);
            }
        }

        public override void Detail(string message)
        {
            lock (this)
            {
                if (disposed || current is null)
                {
                    return;
                }
                var text = $"{stage}: {message}";
                current.Description = Markup.Escape(text.Length > DetailWidth ? text[..(DetailWidth - 1)] + "…" : text);
            }
        }

        public override async ValueTask DisposeAsync()
        {
            lock (this)
            {
                if (disposed)
                {
                    return;
                }
                disposed = true;
                Complete();
            }
            finished.TrySetResult();
            if (display is not null)
            {
                await display;
            }
        }

        private void Complete()
        {
            if (current is not null)
            {
                current.Description = Markup.Escape(stage);
                current.Value = current.MaxValue;
                current.StopTask();
            }
        }
    }
}
