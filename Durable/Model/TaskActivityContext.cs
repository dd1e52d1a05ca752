namespace HmRec.Durable.Model;

/// <summary>What an activity knows about its call.</summary>
public sealed record TaskActivityContext(string Name, string InstanceId, int TaskId, int Attempt, CancellationToken CancellationToken);
