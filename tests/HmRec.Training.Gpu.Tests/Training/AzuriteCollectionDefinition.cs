namespace HmRec.Training.Gpu.Tests.Training;

/// <summary>This assembly's tests that share one Azurite (<see cref="AzuriteFixture"/>).</summary>
[CollectionDefinition(AzuriteCollection.Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>;
