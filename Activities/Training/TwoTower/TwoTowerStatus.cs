namespace HmRec.Activities.Training.TwoTower;

/// <summary>The answer of the status activity: the state, a message for failures, and the model when it succeeded.</summary>
public sealed record TwoTowerStatus(TwoTowerState State, string? Message, ModelSummary? Model);
