namespace HmRec.Shared.LightGbm;

/// <summary>A LightGBM call failed; the message is LightGBM's own, prefixed with what was being done.</summary>
public sealed class LightGbmException(string message) : Exception(message);
