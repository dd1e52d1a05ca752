namespace HmRec.Shared.XgBoost;

/// <summary>An XGBoost call failed; the message is XGBoost's own.</summary>
public sealed class XgBoostException(string message) : Exception(message);
