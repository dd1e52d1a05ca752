namespace HmRec.Shared.Blob;

/// <summary>Conditions on a write or delete: the blob's current ETag must be <see cref="IfMatch"/>; <see cref="IfNoneMatch"/> <c>*</c> means it must not exist; <see cref="LeaseId"/> when it is leased.</summary>
public sealed record BlobConditions(string? IfMatch = null, string? IfNoneMatch = null, string? LeaseId = null)
{
    public static readonly BlobConditions None = new();

    /// <summary>Create only: fails when the blob exists.</summary>
    public static readonly BlobConditions IfNotExists = new(IfNoneMatch: "*");
}
