using System.Text.RegularExpressions;

namespace HmRec.Activities.Common;

/// <summary>
/// What a host gives an activity besides its input: where it reports progress, how it tells an orchestration of an
/// event, the Container Apps job the network trains on (when not a local process), the signal that the host stops, and
/// the runs' container when runs live in blob storage.
/// </summary>
/// <param name="Progress">Where this execution reports its progress (the orchestration's custom status, a console); optional.</param>
/// <param name="RaiseEvent">How the activity tells an orchestration of an event (the durable client's); optional.</param>
/// <param name="GpuJob">The Container Apps job of the two-tower network, or null for a local worker process.</param>
/// <param name="Stopping">Signalled when the host stops.</param>
/// <param name="Blobs">The runs' container when runs live in blob storage (where the champion store is then kept), else null.</param>
public sealed record ActivityHost(IProgress<string>? Progress, RaiseEvent? RaiseEvent, ContainerAppsJob? GpuJob, CancellationToken Stopping,
    Azure.Storage.Blobs.BlobContainerClient? Blobs = null);

/// <summary>An activity of the pipeline, whatever its types: what the registry, the read sets and the Functions check use.</summary>
public interface IActivityDefinition
{
    /// <summary>The name it is registered and called under.</summary>
    string Name { get; }

    /// <summary>Its input's type.</summary>
    Type InputType { get; }

    /// <summary>Its output's type.</summary>
    Type OutputType { get; }

    /// <summary>Hands the typed definition to <paramref name="visitor"/> (to register it with its types, for instance).</summary>
    void Accept(IActivityVisitor visitor);
}

/// <summary>Does something with a typed activity definition (see <see cref="IActivityDefinition.Accept"/>).</summary>
public interface IActivityVisitor
{
    void Visit<TInput, TOutput>(ActivityDefinition<TInput, TOutput> activity);
}

/// <summary>
/// One activity of the pipeline, declared once: its name, its typed input and output, the run it belongs to, the run
/// files it reads (so that a host keeping runs in blob storage pulls only those; its own earlier outputs included, so
/// that finished work is found and skipped) and its work. Each activity's class holds its definition; the pipeline's
/// list of them (<c>PipelineActivityList</c>) is what the worker registers, the Functions app wraps and the
/// orchestrators call.
/// </summary>
/// <param name="Name">The name it is registered and called under.</param>
/// <param name="RunOf">
/// The run folder its input belongs to, whose blobs are pulled before it and pushed after it when runs live in blob
/// storage; null when it needs no local copy (a job that reads the blobs itself).
/// </param>
/// <param name="Reads">The run-relative paths it reads, as globs (<c>**</c> any path, <c>*</c> any part of one name).</param>
/// <param name="Run">The work.</param>
/// <param name="Last">The run's last activity: with blob storage, the local copy of the run is deleted after it.</param>
public sealed record ActivityDefinition<TInput, TOutput>(
    string Name,
    Func<ActivityHost, TInput, string?> RunOf,
    Func<TInput, IReadOnlyList<string>> Reads,
    Func<ActivityHost, TInput, Task<TOutput>> Run,
    bool Last = false) : IActivityDefinition
{
    public Type InputType => typeof(TInput);

    public Type OutputType => typeof(TOutput);

    public void Accept(IActivityVisitor visitor) => visitor.Visit(this);

    /// <summary>Work that runs on the thread pool (the CPU-bound stages), so the host's dispatcher threads stay free; not begun once the host stops.</summary>
    public static Func<ActivityHost, TInput, Task<TOutput>> OnThreadPool(Func<TInput, TOutput> work) =>
        (host, input) => Task.Run(() => work(input), host.Stopping);

    /// <summary>The read set of <paramref name="input"/> as regular expressions over run-relative paths.</summary>
    public IReadOnlyList<Regex> ReadSet(TInput input) => [.. Reads(input).Select(Glob)];

    /// <summary>A glob over run-relative paths: <c>**</c> any path, <c>*</c> any part of one folder or file name.</summary>
    public static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant);
}
