namespace HmRec.Functions;

/// <summary>The app settings the Functions app reads (the Functions host reads host.json and the durable settings itself).</summary>
/// <param name="Store">HMREC_STORE: a local folder for scratch copies of runs and generated data (default: the temp folder).</param>
/// <param name="DataConnection">HMREC_DATA_CONNECTION: the input of runs started without <c>data</c>, a folder.</param>
/// <param name="RunStorageConnection">
/// AzureWebJobsStorage when it is a connection string: runs then live in its blob container <see cref="Container"/>, so
/// that every instance of the app sees them. (An identity-based connection is not supported by the run storage yet.)
/// </param>
public sealed record FunctionSettings(string Store, string? DataConnection, string? RunStorageConnection)
{
    /// <summary>The blob container of the runs and of uploaded input data.</summary>
    public const string Container = "hmrec";

    public static FunctionSettings FromEnvironment()
    {
        static string? Value(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        var storage = Value("AzureWebJobsStorage");
        return new FunctionSettings(
            Value("HMREC_STORE") ?? Path.Combine(Path.GetTempPath(), "hmrec"),
            Value("HMREC_DATA_CONNECTION"),
            storage is not null && (storage.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) || storage.StartsWith("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase)) ? storage : null);
    }
}
