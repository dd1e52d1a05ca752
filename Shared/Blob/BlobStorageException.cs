using System.Net;

namespace HmRec.Shared.Blob;

/// <summary>A Blob service request failed: the HTTP status, the service's error code (<c>x-ms-error-code</c>) and what was asked.</summary>
public sealed class BlobStorageException : Exception
{
    public BlobStorageException(string message, HttpStatusCode status, string? errorCode, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public BlobStorageException()
    {
    }

    public BlobStorageException(string message)
        : base(message)
    {
    }

    public BlobStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    public string? ErrorCode { get; }

    /// <summary>A conditional write lost: the blob changed (If-Match) or exists (If-None-Match: *).</summary>
    public bool IsConditionFailed => Status is HttpStatusCode.PreconditionFailed || ErrorCode is "BlobAlreadyExists" or "ConditionNotMet";
}
