namespace HmRec.Cli.Commands;

/// <summary>
/// Writes the hosts' logs one line each, so nothing fails silently: warnings and errors to stderr; HmRec's own record
/// (<c>HmRec.*</c>: each activity's start and end, each stage of a run) to the store's log file when one is given; the
/// durable backend's (<c>DurableTask.*</c>: lease changes, retried storage calls, work items it will run again) to a
/// log file of its own when one is given, as they are the backend's routine and would drown the one-line errors users act on.
/// </summary>
internal sealed class ConsoleErrorLogger(string category, TextWriter writer, LogLevel minimum) : ILogger
{
    /// <summary>
    /// A logger factory whose loggers write to stderr, except the durable backend's, which go to
    /// <paramref name="durableLog"/> (warnings and up) when given, else to stderr (errors only).
    /// </summary>
    public static ILoggerFactory Factory(string? durableLog = null, string? hmrecLog = null) =>
        LoggerFactory.Create(b => b.ClearProviders().SetMinimumLevel(LogLevel.Information).AddProvider(new Provider(durableLog, hmrecLog)));

    /// <summary>The store's log of HmRec's own record: <c>{store}/logs/hmrec.log</c>.</summary>
    public static string HmRecLog(string store) => Path.Combine(store, "logs", "hmrec.log");

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

    internal sealed class Provider(string? durableLog = null, string? hmrecLog = null) : ILoggerProvider
    {
        private readonly Dictionary<string, StreamWriter> files = [];

        public ILogger CreateLogger(string categoryName)
        {
            if (categoryName.StartsWith("HmRec", StringComparison.Ordinal) && hmrecLog is not null)
            {
                return new Both(new ConsoleErrorLogger(categoryName, Console.Error, LogLevel.Warning), new ConsoleErrorLogger(categoryName, File(hmrecLog), LogLevel.Information));
            }
            if (!categoryName.StartsWith("DurableTask", StringComparison.Ordinal))
            {
                return new ConsoleErrorLogger(categoryName, Console.Error, LogLevel.Warning);
            }
            return durableLog is null
                ? new ConsoleErrorLogger(categoryName, Console.Error, LogLevel.Error)
                : new ConsoleErrorLogger(categoryName, File(durableLog), LogLevel.Warning);
        }

        /// <summary>The appending writer of <paramref name="path"/>, one per file.</summary>
        private StreamWriter File(string path)
        {
            lock (files)
            {
                if (!files.TryGetValue(path, out var file))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    files[path] = file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
                }
                return file;
            }
        }

        public void Dispose()
        {
            lock (files)
            {
                foreach (var file in files.Values)
                {
                    file.Dispose();
                }
                files.Clear();
            }
        }
    }

    /// <summary>Writes to two loggers.</summary>
    private sealed class Both(ILogger first, ILogger second) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => first.IsEnabled(logLevel) || second.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            first.Log(logLevel, eventId, state, exception, formatter);
            second.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
