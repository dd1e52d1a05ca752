namespace HmRec.Orchestrators.Tests.Pipeline;

/// <summary>HMREC_RETRAIN_OPTIONS: the weekly retrain's options, read as a start's body reads them, checked at start.</summary>
public sealed class RetrainOptionsTests
{
    [Fact]
    public void Overrides_AreApplied_OverTheDefaults()
    {
        var options = StarterSettings.ParseRetrainOptions("""{"training": {"maxRounds": 200}, "recall": {"repurchase": {"topN": 40}}}""");
        Assert.Equal(200, options.Training.MaxRounds);
        Assert.Equal(40, options.Recall.Repurchase.TopN);
        Assert.Equal(new PipelineOptions().Training.LearningRate, options.Training.LearningRate);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_IsTheDefaults(string? json) =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(new PipelineOptions()), System.Text.Json.JsonSerializer.Serialize(StarterSettings.ParseRetrainOptions(json)));

    [Theory]
    [InlineData("""{"Shards": 0}""", "HMREC_RETRAIN_OPTIONS: Shards must be between 1 and 4,096 (got 0).")]
    [InlineData("""{"training": {"maxRounds": "many"}}""", "HMREC_RETRAIN_OPTIONS: training.maxRounds")]
    [InlineData("""{"data": "/somewhere"}""", "HMREC_RETRAIN_OPTIONS: 'data' is not one of its options")]
    [InlineData("""{"noSuchOption": 1}""", "HMREC_RETRAIN_OPTIONS: ")]
    [InlineData("{not json", "HMREC_RETRAIN_OPTIONS: ")]
    public void BadValues_FailNamingTheSettingAndTheOption(string json, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => StarterSettings.ParseRetrainOptions(json));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
