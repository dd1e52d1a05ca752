namespace HmRec.Cli.Commands;

/// <summary>
/// Progress on the console: an in-place line on a terminal, and a line every 10% when the output is
/// redirected (CI logs), so long work is never silent.
/// </summary>
internal sealed class ConsoleProgress(TextWriter output)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly bool interactive = !Console.IsOutputRedirected;
    private string stage = "";
    private int lastDecile = -1;
    private long lastDrawMs = -1000;

    public void Report(string newStage, long done, long total)
    {
        lock (this)
        {
            if (newStage != stage)
            {
                if (interactive && stage.Length > 0)
                {
                    output.WriteLine();
                }
                stage = newStage;
                lastDecile = -1;
            }
            var fraction = total <= 0 ? 1.0 : Math.Clamp((double)done / total, 0, 1);
            var line = $"  {stage,-14} {fraction,7:P0}  {clock.Elapsed.TotalSeconds,6:F1}s";
            if (interactive)
            {
                if (clock.ElapsedMilliseconds - lastDrawMs >= 100 || done >= total)
                {
                    output.Write("\r" + line);
                    lastDrawMs = clock.ElapsedMilliseconds;
                }
                return;
            }
            var decile = (int)(fraction * 10);
            if (decile != lastDecile)
            {
                output.WriteLine(line);
                lastDecile = decile;
            }
        }
    }

    /// <summary>A line on what an activity of the current stage is doing, with the time since the start.</summary>
    public void Detail(string message)
    {
        lock (this)
        {
            if (interactive && stage.Length > 0)
            {
                // The in-place line stays; the detail goes below it, and the next report draws the line again.
                output.WriteLine();
            }
            output.WriteLine($"    {message} ({clock.Elapsed.TotalSeconds:F1}s)");
        }
    }

    public void Done()
    {
        if (interactive && stage.Length > 0)
        {
            output.WriteLine();
        }
        stage = "";
    }
}
