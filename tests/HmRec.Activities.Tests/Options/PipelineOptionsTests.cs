namespace HmRec.Activities.Tests.Options;

public sealed class PipelineOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid() => new PipelineOptions().Validate();

    [Fact]
    public void Validate_BadRecallOption_NamesTheOptionAndTheRange()
    {
        var options = new PipelineOptions { Recall = new RecallOptions { UserKnn = new UserKnnOptions { Neighbours = 0 } } };
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal("Recall.UserKnn.Neighbours must be between 1 and 10,000 (got 0).", e.Message);
    }

    [Theory]
    [InlineData("month", "Recall.CoPurchase.Basket must be one of day, week (got 'month').")]
    public void Validate_BadBasket_NamesTheChoices(string basket, string message)
    {
        var options = new PipelineOptions { Recall = new RecallOptions { CoPurchase = new CoPurchaseOptions { Basket = basket } } };
        Assert.Equal(message, Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void Validate_BadCategoryLevelOrTrainingOption_NamesTheChoicesOrRange()
    {
        var level = new PipelineOptions { Recall = new RecallOptions { Category = new CategoryOptions { Level = "colour" } } };
        Assert.Equal("Recall.Category.Level must be one of product_type, department, section, garment_group (got 'colour').", Assert.Throws<ArgumentException>(level.Validate).Message);
        var leaves = new PipelineOptions { Training = new TrainingOptions { NumLeaves = 1 } };
        Assert.Equal("Training.NumLeaves must be between 2 and 131,072 (got 1).", Assert.Throws<ArgumentException>(leaves.Validate).Message);
    }

    [Fact]
    public void Validate_BadHalfLifeShardsAndNegatives_NameTheOption()
    {
        Assert.Contains("Recall.Text.HalfLifeDays", Assert.Throws<ArgumentException>(
            new PipelineOptions { Recall = new RecallOptions { Text = new TextOptions { HalfLifeDays = double.NaN } } }.Validate).Message);
        Assert.Equal("Recall.Category.ItemHalfLifeDays must be a positive number (got 0).", Assert.Throws<ArgumentException>(
            new PipelineOptions { Recall = new RecallOptions { Category = new CategoryOptions { ItemHalfLifeDays = 0 } } }.Validate).Message);
        Assert.Contains("Shards", Assert.Throws<ArgumentException>(new PipelineOptions { Shards = 0 }.Validate).Message);
        Assert.Contains("Features.NegativesPerPositive", Assert.Throws<ArgumentException>(
            new PipelineOptions { Features = new FeatureOptions { NegativesPerPositive = -1 } }.Validate).Message);
        Assert.Contains("must name a file that exists", Assert.Throws<ArgumentException>(
            new PipelineOptions { Features = new FeatureOptions { ImageEmbeddings = "/no/such/file.parquet" } }.Validate).Message);
    }

    [Theory]
    [InlineData("{\"Training\": null}", "Training must be an object of options (or left out for the defaults), not null.")]
    [InlineData("{\"recall\": null}", "Recall must be an object of options (or left out for the defaults), not null.")]
    [InlineData("{\"Recall\": {\"Repurchase\": null}}", "Recall.Repurchase must be an object of options (or left out for the defaults), not null.")]
    [InlineData("{\"Training\": {\"LearningRate\": 0}}", "Training.LearningRate must be in (0, 1] (got 0).")]
    [InlineData("{\"TwoTower\": {\"Dropout\": 1}}", "TwoTower.Dropout must be between 0 and 0.99 (got 1).")]
    [InlineData("{\"Ingest\": {\"ColdStartShare\": 1}}", "Ingest.ColdStartShare must be in [0, 1) (got 1).")]
    [InlineData("{\"Features\": {\"NegativesPerPositive\": -1}}", "Features.NegativesPerPositive must be a positive number (got -1).")]
    [InlineData("{\"Promotion\": {\"MinRatioToRule\": -0.5}}", "Promotion.MinRatioToRule must be between 0 and 100 (got -0.5).")]
    [InlineData("{\"TwoTower\": {\"Device\": \"tpu\"}}", "TwoTower.Device must be one of auto, cpu, cuda (got 'tpu').")]
    [InlineData("{\"Ingest\": {\"MemoryLimit\": \"lots\"}}", "Ingest.MemoryLimit must be a size of at least 64MB such as '4GB' or '512MiB' (got 'lots').")]
    [InlineData("{\"Features\": {\"ImageEmbeddings\": \"/no/such/file.parquet\"}}", "Features.ImageEmbeddings must name a file that exists (got '/no/such/file.parquet').")]
    public void Parse_SectionNullOrValueOutOfBounds_NamesTheOptionAndWhatIsExpected(string body, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => PipelineStartBody.Parse(body)).Message);

    [Fact]
    public void Validate_IngestAlone_NamesItsOptionsUnderIngest()
    {
        var e = Assert.Throws<ArgumentException>(new IngestOptions { TrainingWeeks = 0 }.Validate);
        Assert.Equal("Ingest.TrainingWeeks must be between 1 and 52 (got 0).", e.Message);
        new IngestOptions { HistoryWeeks = null, ColdStartShare = null }.Validate();
    }
}
