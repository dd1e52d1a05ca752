namespace HmRec.Orchestrators.Pipeline;

/// <summary>
/// The pipeline's custom status: the stage it is in, how many of its activities are done, and the latest progress an
/// activity of the stage reported (a ranker's round and validation MAP@12, rows scored, the network's epoch), if any.
/// </summary>
public sealed record PipelineStatus(string Stage, int Done, int Total, string? Detail = null);
