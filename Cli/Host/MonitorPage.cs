using HmRec.Activities.Report;

namespace HmRec.Cli.Host;

/// <summary>
/// <c>GET /monitor</c>: a page over the management API (instances with filters and paging, one instance's status,
/// failure and activity timeline, and terminate, suspend, resume, raise event and purge). The page itself holds no
/// data and needs no key; it asks for the system key and keeps it in the tab's session storage, never in a URL.
/// </summary>
internal static class MonitorPage
{
    public const string Path = "/monitor";

    public static readonly Lazy<string> Html = new(() =>
    {
        using var stream = typeof(MonitorPage).Assembly.GetManifestResourceStream("HmRec.Cli.monitor.html")
            ?? throw new InvalidOperationException("monitor.html is not embedded in hmrec.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("/*CHART_JS*/", RunReport.ChartJs, StringComparison.Ordinal);
    });
}
