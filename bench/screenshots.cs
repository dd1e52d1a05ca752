#:package PuppeteerSharp
// Screenshots for the README of a run's report and of the monitor showing that run, in Debian's headless Chromium.
// Called by bench/screenshots.sh (after `make run`), which starts `hmrec serve` on the run's store.
// Usage: dotnet run --file bench/screenshots.cs -- <report.html> <host base URL> <run id> <out folder>
// The system key comes in HMREC_SYSTEM_KEY (typed into the page, as a user would; never in a URL).
using PuppeteerSharp;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: screenshots.cs <report.html> <host base URL> <run id> <out folder>");
    return 2;
}
var (report, host, runId, output) = (Path.GetFullPath(args[0]), new Uri(args[1]), args[2], Path.GetFullPath(args[3]));
var key = Environment.GetEnvironmentVariable("HMREC_SYSTEM_KEY") is { Length: > 0 } k ? k
    : throw new InvalidOperationException("HMREC_SYSTEM_KEY is not set");
var chromium = new[] { "/usr/lib/chromium/chromium", "/usr/bin/chromium" }.FirstOrDefault(File.Exists)
    ?? throw new InvalidOperationException("Chromium is not installed: run 'make setup'.");
Directory.CreateDirectory(output);

await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
{
    ExecutablePath = chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    DefaultViewport = new ViewPortOptions { Width = 1280, Height = 900 },
});
var page = await browser.NewPageAsync();
var wait = new WaitForFunctionOptions { Timeout = 60_000 };

// The report: a file, no server needed; its charts draw without animation.
await page.GoToAsync(new Uri(report).AbsoluteUri, WaitUntilNavigation.Load);
await page.WaitForFunctionAsync("() => document.querySelectorAll('canvas').length > 0 && [...document.querySelectorAll('canvas')].some(c => Chart.getChart(c))", wait);
await page.ScreenshotAsync(Path.Combine(output, "report.png"), new ScreenshotOptions { FullPage = true });

// The monitor: the key typed into its form, the run in the list, then the run's own view.
await page.GoToAsync(new Uri(host, "/monitor").AbsoluteUri, WaitUntilNavigation.Load);
await page.TypeAsync("#key", key);
await page.ClickAsync("#login-form button");
await page.WaitForSelectorAsync($"tr[data-instance='{runId}']", new WaitForSelectorOptions { Timeout = 60_000 });
await page.ScreenshotAsync(Path.Combine(output, "monitor.png"), new ScreenshotOptions { FullPage = true });
await page.ClickAsync($"tr[data-instance='{runId}'] a");
await page.WaitForFunctionAsync("() => !!Chart.getChart(document.getElementById('i-timeline'))", wait);
await page.ScreenshotAsync(Path.Combine(output, "monitor-instance.png"), new ScreenshotOptions { FullPage = true });
// The history of the runs and the champion, with its chart.
await page.GoToAsync(new Uri(host, "/monitor#/history").AbsoluteUri, WaitUntilNavigation.Load);
await page.WaitForFunctionAsync($"() => !!document.querySelector(\"tr[data-run='{runId}']\") && !!Chart.getChart(document.getElementById('h-chart'))", wait);
await page.ScreenshotAsync(Path.Combine(output, "monitor-history.png"), new ScreenshotOptions { FullPage = true });
Console.WriteLine($"Screenshots of run {runId}'s report and the monitor: {output}/report.png, monitor.png, monitor-instance.png, monitor-history.png");
return 0;
