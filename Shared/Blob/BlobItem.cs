namespace HmRec.Shared.Blob;

/// <summary>A blob's name, size and ETag, as listed or as its properties say.</summary>
public sealed record BlobItem(string Name, long Length, string ETag, string? LeaseState = null);
