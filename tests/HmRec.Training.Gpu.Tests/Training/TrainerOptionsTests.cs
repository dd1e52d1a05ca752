namespace HmRec.Training.Gpu.Tests.Training;

public sealed class TrainerOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid() => new TrainerOptions().Validate();

    [Theory]
    [InlineData(0, 0.3f, 0.5f, "--learning-rate must be in (0, 1] (got 0).")]
    [InlineData(3e-4f, 1f, 0.5f, "--dropout must be in [0, 1) (got 1).")]
    [InlineData(3e-4f, 0.3f, 2f, "PlateauFactor must be in (0, 1] (got 2).")]
    public void Validate_OutOfBounds_NamesTheFlagOrTheOption(float learningRate, float dropout, float plateauFactor, string message)
    {
        var options = new TrainerOptions { LearningRate = learningRate, Dropout = dropout, PlateauFactor = plateauFactor };
        Assert.Equal(message, Assert.Throws<ArgumentException>(options.Validate).Message);
    }
}
