namespace HmRec.Cli.Host;

/// <summary>The URIs a starter returns for one instance, as Durable Functions names them.</summary>
internal sealed record ManagementUris(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string PurgeHistoryDeleteUri,
    string SuspendPostUri,
    string ResumePostUri);
