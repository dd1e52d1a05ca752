using System.Net.Sockets;
using System.Runtime.InteropServices;
using HmRec.Shared.Native;

namespace HmRec.Cli.Hosting;

/// <summary>
/// The embedded default storage: Azurite (pinned in tools/) on free loopback ports, with its data under
/// <c>{store}/azurite/</c>. It runs in its own session so that killing the host never kills it (Azurite keeps its
/// queue and table metadata in memory and saves it every 5 s and on a graceful stop: a SIGKILL could lose the
/// last task-hub writes), and the next host finds it again through <c>azurite.json</c> (pid and ports).
/// </summary>
internal sealed partial class EmbeddedAzurite
{
    /// <summary>Azurite's well-known development account; its key is public and only opens the local emulator.</summary>
    private const string Account = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const int SigTerm = 15;

    private readonly string directory;
    private FileStream? lease;

    private EmbeddedAzurite(string directory, AzuriteState state, bool started, FileStream? lease = null)
    {
        this.directory = directory;
        State = state;
        Started = started;
        this.lease = lease;
    }

    /// <summary>Where it runs: its pid and the three ports.</summary>
    public AzuriteState State { get; }

    /// <summary>True when this process started it; false when it was found running.</summary>
    public bool Started { get; }

    /// <summary>A connection string for its development account on its ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{State.BlobPort}/{Account};QueueEndpoint=http://127.0.0.1:{State.QueuePort}/{Account};TableEndpoint=http://127.0.0.1:{State.TablePort}/{Account};";

    /// <summary>The Azurite of <paramref name="store"/>: the running one its state file names, else a new one.</summary>
    public static async Task<EmbeddedAzurite> StartOrFindAsync(string store, CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(store, "azurite");
        Directory.CreateDirectory(directory);
        // Processes that start at once (a run and its workers) must not each start an Azurite on the same data: the
        // first to hold the lock starts it, the others then find it.
        using var startLock = await LockAsync(Path.Combine(directory, "start.lock"), cancellationToken).ConfigureAwait(false);
        var file = Path.Combine(directory, StateFile);
        var previous = ReadState(file);
        if (previous is { } known && IsAzurite(known.Pid))
        {
            // Running, or still starting (a host killed while it waited for it): wait until it answers.
            if (await WaitUntilAnswersAsync(known, null, cancellationToken).ConfigureAwait(false))
            {
                return new EmbeddedAzurite(directory, known, started: false, Lease(directory));
            }
            using var stuck = Process.GetProcessById(known.Pid);
            stuck.Kill();
        }

        var azurite = AzuriteCommand();
        // The ports of the store's last Azurite when they are free: the task hub keeps absolute blob URLs (DTFx's large
        // messages, in histories and the instances table), which a restart on other ports would leave unreadable.
        var blob = ReusePort(previous?.BlobPort, []);
        var queue = ReusePort(previous?.QueuePort, [blob]);
        var state = new AzuriteState(0, blob, queue, ReusePort(previous?.TablePort, [blob, queue]));
        var log = Path.Combine(directory, "azurite.log");
        for (var attempt = 1; ; attempt++)
        {
            // setsid puts Azurite in a session of its own (no fork: the shell's pid becomes Azurite's), so a signal to the
            // host's process group (Ctrl+C, a kill of the group) does not reach it; its output goes to a log, not to a pipe
            // that would break when the host dies.
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec setsid \"$@\" >>\"$HMREC_AZURITE_LOG\" 2>&1 </dev/null");
            start.ArgumentList.Add("azurite");
            foreach (var a in (string[])
            [
                .. azurite,
                "--blobHost", "127.0.0.1", "--blobPort", Port(state.BlobPort),
                "--queueHost", "127.0.0.1", "--queuePort", Port(state.QueuePort),
                "--tableHost", "127.0.0.1", "--tablePort", Port(state.TablePort),
                "--location", Path.Combine(directory, "data"), "--skipApiVersionCheck", "--silent",
            ])
            {
                start.ArgumentList.Add(a);
            }
            start.Environment["HMREC_AZURITE_LOG"] = log;
            var logStart = File.Exists(log) ? new FileInfo(log).Length : 0;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite.");
            state = state with { Pid = process.Id };
            // Recorded at once, so that a host killed while Azurite starts leaves no Azurite nobody knows of.
            HmRec.Shared.Data.AtomicFile.WriteAllText(file, JsonSerializer.Serialize(state));
            if (await WaitUntilAnswersAsync(state, process, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
            if (!process.HasExited)
            {
                process.Kill();
            }
            File.Delete(file);
            var output = File.Exists(log) ? ReadFrom(log, logStart) : "";
            // A port found free was taken by another process before Azurite bound it: new ports, a few times.
            if (process.HasExited && output.Contains("EADDRINUSE", StringComparison.Ordinal) && attempt < 3)
            {
                blob = ReusePort(null, []);
                queue = ReusePort(null, [blob]);
                state = new AzuriteState(0, blob, queue, ReusePort(null, [blob, queue]));
                continue;
            }
            var tail = string.Join(" | ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
            throw new IOException($"Azurite ({string.Join(' ', azurite)}) did not start on 127.0.0.1:{state.BlobPort}-{state.TablePort}: {(process.HasExited ? "it exited" : "no answer in 60 s")}. {tail}".TrimEnd());
        }
        return new EmbeddedAzurite(directory, state, started: true, Lease(directory));
    }

    /// <summary>A new lease of this process on the Azurite of <paramref name="directory"/>: a file it holds locked until released.</summary>
    private static FileStream Lease(string directory)
    {
        var users = Path.Combine(directory, "users");
        Directory.CreateDirectory(users);
        return new FileStream(Path.Combine(users, $"{Environment.ProcessId}-{Guid.NewGuid():N}.lease"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
    }

    /// <summary>How many leases other than this one are held (those of processes that died are removed on the way).</summary>
    private int OtherUsers()
    {
        var users = Path.Combine(directory, "users");
        if (!Directory.Exists(users))
        {
            return 0;
        }
        var held = 0;
        foreach (var file in Directory.EnumerateFiles(users, "*.lease"))
        {
            if (lease is not null && file == lease.Name)
            {
                continue;
            }
            try
            {
                // Opens only when no process holds it: its holder has gone.
                using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                {
                }
                File.Delete(file);
            }
            catch (IOException)
            {
                held++;
            }
            catch (UnauthorizedAccessException)
            {
                held++;
            }
        }
        return held;
    }

    /// <summary>
    /// Releases this process's lease and, when no other HmRec process holds one, stops Azurite (see <see cref="StopAsync"/>);
    /// true when it stopped it. Under the start lock, so that no process finds it while it stops.
    /// </summary>
    public async Task<bool> ReleaseAsync(TimeSpan timeout)
    {
        using var startLock = await LockAsync(Path.Combine(directory, "start.lock"), CancellationToken.None).ConfigureAwait(false);
        var others = OtherUsers();
        Dispose();
        if (others > 0)
        {
            return false;
        }
        await StopAsync(timeout).ConfigureAwait(false);
        return true;
    }

    /// <summary>Gives up this process's lease without stopping anything.</summary>
    public void Dispose()
    {
        if (lease is { } held)
        {
            lease = null;
            held.Dispose();
            File.Delete(held.Name);
        }
    }

    /// <summary>Waits up to 60 s until <paramref name="state"/>'s ports answer; false when they do not or the process ends.</summary>
    private static async Task<bool> WaitUntilAnswersAsync(AzuriteState state, Process? process, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await AnswersAsync(state, cancellationToken).ConfigureAwait(false))
        {
            if ((process?.HasExited ?? !IsAzurite(state.Pid)) || DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private static AzuriteState? ReadState(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize<AzuriteState>(File.ReadAllText(file)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The Azurite that <paramref name="store"/>'s state file names, when its process still runs (it may still be starting); else null.</summary>
    public static EmbeddedAzurite? Find(string store)
    {
        var directory = Path.Combine(store, "azurite");
        return ReadState(Path.Combine(directory, StateFile)) is { } state && IsAzurite(state.Pid) ? new EmbeddedAzurite(directory, state, started: false) : null;
    }

    /// <summary>
    /// Stops it gracefully: SIGTERM, on which Azurite closes its services and saves its metadata, then, once its log says
    /// all three are closed, a kill (its process lingers for minutes on timers after the close). Waits at most
    /// <paramref name="timeout"/> for the close; returns false when it had to be killed before it.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        var closed = false;
        if (IsAzurite(State.Pid))
        {
            var log = Path.Combine(directory, "azurite.log");
            var from = File.Exists(log) ? new FileInfo(log).Length : 0;
            _ = Kill(State.Pid, SigTerm);
            var deadline = DateTime.UtcNow + timeout;
            while (IsAzurite(State.Pid) && DateTime.UtcNow < deadline && !(closed = AllClosed(log, from)))
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
            if (IsAzurite(State.Pid))
            {
                using var p = Process.GetProcessById(State.Pid);
                p.Kill();
                await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            else
            {
                closed = true;
            }
        }
        // Stopped: no pid, the ports kept for the next start (see StartOrFindAsync).
        var file = Path.Combine(directory, StateFile);
        HmRec.Shared.Data.AtomicFile.WriteAllText(file, JsonSerializer.Serialize(State with { Pid = 0 }));
        Dispose();
        return closed;
    }

    /// <summary>True when the log, after <paramref name="from"/>, says that the blob, queue and table services have closed.</summary>
    private static bool AllClosed(string log, long from)
    {
        if (!File.Exists(log))
        {
            return false;
        }
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
        var text = new StreamReader(stream).ReadToEnd();
        return new[] { "Blob", "Queue", "Table" }.All(service => text.Contains($"Azurite {service} service successfully closed", StringComparison.Ordinal));
    }

    /// <summary>An exclusive lock on <paramref name="path"/> across processes, released when the stream is disposed (or the process dies).</summary>
    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True while the process still runs.</summary>
    public bool IsRunning => IsAzurite(State.Pid);

    /// <summary>The state file in <c>{store}/azurite/</c>.</summary>
    public const string StateFile = "azurite.json";

    /// <summary>The setting that names Azurite: its <c>azurite.js</c>, or an <c>azurite</c> executable.</summary>
    public const string Setting = "HMREC_AZURITE";

    /// <summary>
    /// How to start Azurite: <c>HMREC_AZURITE</c> when set; else the one in the <c>tools/</c> folder beside the app or
    /// the checkout (what <c>make setup</c> and <c>make install</c> put there); else <c>azurite</c> on the PATH (as
    /// <c>npm install -g azurite</c> leaves it). A script runs under node, an executable as it is.
    /// </summary>
    internal static string[] AzuriteCommand()
    {
        static string[] Command(string path) => path.EndsWith(".js", StringComparison.Ordinal) ? ["node", path] : [path];
        if (Environment.GetEnvironmentVariable(Setting) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? Command(Path.GetFullPath(configured))
                : throw new IOException($"{Setting} names no file ('{configured}'); expected Azurite's azurite.js or an azurite executable.");
        }
        if (NativeLibraryResolver.FindToolsDirectory() is { } tools && Path.Combine(tools, "node_modules", "azurite", "dist", "src", "azurite.js") is var script && File.Exists(script))
        {
            return Command(script);
        }
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var onPath = Path.Combine(folder, "azurite");
            if (File.Exists(onPath))
            {
                return Command(onPath);
            }
        }
        throw new IOException($"Azurite is not installed: install it with 'npm install -g azurite' (or 'make setup' in a checkout), set {Setting} to its azurite.js, or set AzureWebJobsStorage to a storage account.");
    }

    /// <summary>True while <paramref name="pid"/> is a live Azurite (its command line names azurite), not a reused pid.</summary>
    private static bool IsAzurite(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // A zombie (state Z) has exited already.
            return cmdline.Contains("azurite", StringComparison.Ordinal) && !stat.Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> AnswersAsync(AzuriteState state, CancellationToken cancellationToken)
    {
        foreach (var port in new[] { state.BlobPort, state.QueuePort, state.TablePort })
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><paramref name="port"/> when it is set and free on the loopback, else a free port other than <paramref name="taken"/>.</summary>
    private static int ReusePort(int? port, int[] taken)
    {
        if (port is int p && p > 0 && !taken.Contains(p))
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, p);
                listener.Start();
                return p;
            }
            catch (SocketException)
            {
                // Taken by another process since: a new one.
            }
        }
        int free;
        while (taken.Contains(free = FreePort()))
        {
        }
        return free;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>What <paramref name="path"/> holds after its first <paramref name="offset"/> bytes (this start's part of the log).</summary>
    private static string ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>Where an embedded Azurite runs, as its state file records it.</summary>
internal sealed record AzuriteState(int Pid, int BlobPort, int QueuePort, int TablePort);
