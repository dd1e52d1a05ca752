namespace HmRec.Shared.Synthetic;

/// <summary>Progress of a generation: a stage name and how far it got.</summary>
public sealed record SyntheticProgress(string Stage, long Done, long Total);
