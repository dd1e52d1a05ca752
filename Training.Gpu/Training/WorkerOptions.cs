namespace HmRec.Training.Gpu.Training;

/// <summary>What one worker run trains on and where it writes.</summary>
/// <param name="Features">A run's features folder (week=*/shard=*.parquet below it), a parquet file or a glob.</param>
/// <param name="Output">The folder the model, scores, log and summary go to.</param>
/// <param name="Trainer">The hyper-parameters.</param>
/// <param name="Device">auto, cpu or cuda.</param>
/// <param name="ImageEmbeddings">Optional parquet of article_id, embedding.</param>
/// <param name="Articles">The run's articles.parquet, mapping article_id to article_idx; needed with image embeddings.</param>
/// <param name="Labels">Optional parquet of the validation week's purchases (customer_idx, article_idx): validation MAP@12 then counts purchases outside the candidates, as the evaluation does.</param>
/// <param name="Threads">CPU threads; 0 for one per core.</param>
/// <param name="MemoryLimit">DuckDB's memory limit while the features are read.</param>
/// <param name="PredictionPartRows">The weeks scored after training are read once and scored in parts of at most this many rows.</param>
/// <param name="EarlyStoppingRows">Early stopping watches at most about this many validation rows: every k-th validation user
/// when the week is larger (k = its rows / this, rounded up); the whole week is still scored after training.</param>
/// <param name="EpochSaved">Called after every epoch, once the checkpoint and the log are written (a blob job pushes them).</param>
public sealed record WorkerOptions(
    string Features,
    string Output,
    TrainerOptions Trainer,
    string Device = "auto",
    string? ImageEmbeddings = null,
    string? Articles = null,
    string? Labels = null,
    int Threads = 0,
    string MemoryLimit = "4GB",
    Action? EpochSaved = null,
    int PredictionPartRows = 1_000_000,
    int EarlyStoppingRows = 2_000_000);
