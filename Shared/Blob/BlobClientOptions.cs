namespace HmRec.Shared.Blob;

/// <summary>How the blob client splits uploads and retries: blocks of <see cref="BlockSize"/> above <see cref="SingleUploadLimit"/>, <see cref="Parallelism"/> at once; up to <see cref="MaxRetries"/> retries of throttled (429), timed-out and 5xx requests, with exponential backoff and jitter from <see cref="FirstRetryDelay"/>.</summary>
public sealed record BlobClientOptions
{
    public int BlockSize { get; init; } = 4 * 1024 * 1024;

    public int SingleUploadLimit { get; init; } = 8 * 1024 * 1024;

    public int Parallelism { get; init; } = 4;

    public int MaxRetries { get; init; } = 5;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>One request's time limit.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);
}
