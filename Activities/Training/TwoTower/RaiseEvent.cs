namespace HmRec.Activities.Training.TwoTower;

/// <summary>Raises an external event on an orchestration instance (the durable client's RaiseEventAsync).</summary>
public delegate Task RaiseEvent(string instanceId, string eventName, object? payload);
