using Microsoft.Extensions.Logging;

namespace HmRec.Cli.Commands;

/// <summary>
/// Writes the hosts' warnings and errors one line each, so nothing fails silently: HmRec's own to stderr; the durable
/// backend's (<c>DurableTask.*</c>: lease changes, retried storage calls, work items it will run again) to a log file
/// when one is given, as they are the backend's routine and would drown the one-line errors users act on.
/// </summary>
internal sealed class ConsoleErrorLogger(string category, TextWriter writer, LogLevel minimum) : ILogger
{
    /// <summary>
    /// A logger factory whose loggers write to stderr, except the durable backend's, which go to
    /// <paramref name="durableLog"/> (warnings and up) when given, else to stderr (errors only).
    /// </summary>
    public static ILoggerFactory Factory(string? durableLog = null) => LoggerFactory.Create(b => b.ClearProviders().AddProvider(new Provider(durableLog)));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        var message = formatter(state, exception).ReplaceLineEndings(" ");
        message = message.Length > 400 ? message[..400] + "..." : message;
        var line = $"{logLevel.ToString().ToLowerInvariant()}: {message}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")})")}";
        lock (writer)
        {
            writer.WriteLine(writer == Console.Error ? line : $"{DateTime.UtcNow:O} {category} {line}");
        }
    }

    internal sealed class Provider(string? durableLog = null) : ILoggerProvider
    {
        private StreamWriter? file;

        public ILogger CreateLogger(string categoryName)
        {
            if (!categoryName.StartsWith("DurableTask", StringComparison.Ordinal))
            {
                return new ConsoleErrorLogger(categoryName, Console.Error, LogLevel.Warning);
            }
            if (durableLog is null)
            {
                return new ConsoleErrorLogger(categoryName, Console.Error, LogLevel.Error);
            }
            lock (this)
            {
                if (file is null)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(durableLog)!);
                    file = new StreamWriter(durableLog, append: true) { AutoFlush = true };
                }
            }
            return new ConsoleErrorLogger(categoryName, file, LogLevel.Warning);
        }

        public void Dispose() => file?.Dispose();
    }
}
