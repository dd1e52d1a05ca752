using System.CommandLine;
using HmRec.Training.Gpu.Training;

namespace HmRec.Training.Gpu;

/// <summary>
/// The <c>hmrec-train-gpu</c> command line: trains the two-tower network on a run's features (the default
/// command), or measures training throughput on generated batches (<c>throughput</c>).
/// </summary>
public static class WorkerCli
{
    public static RootCommand Build()
    {
        var defaults = new TrainerOptions();
        var features = new Option<string>("--features") { Description = "The run's features folder (week=*/shard=*.parquet), a parquet file, a glob, or blob:{prefix}.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder (or blob:{prefix}) for model.hmtt, validation.parquet, test.parquet, training_log.csv and summary.json.", Required = true };
        var storage = new Option<string?>("--storage") { Description = "Storage connection string for blob: locations (default: the AzureWebJobsStorage connection of the environment: a connection string, or AzureWebJobsStorage__blobServiceUri / __accountName with __credential=managedidentity and __clientId)." };
        var container = new Option<string>("--container") { Description = "Blob container of blob: locations.", DefaultValueFactory = _ => "hmrec" };
        var device = Device();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the weights, shuffles and dropout.", DefaultValueFactory = _ => defaults.Seed };
        var epochs = new Option<int>("--max-epochs") { Description = "Most epochs to train.", DefaultValueFactory = _ => defaults.MaxEpochs };
        var batch = BatchSize(defaults);
        var rate = new Option<float>("--learning-rate") { Description = "AdamW learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var decay = new Option<float>("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => defaults.WeightDecay };
        var dropout = new Option<float>("--dropout") { Description = "Dropout after every hidden layer.", DefaultValueFactory = _ => defaults.Dropout };
        var patience = new Option<int>("--patience") { Description = "Epochs without validation MAP@12 gain before stopping.", DefaultValueFactory = _ => defaults.Patience };
        var images = new Option<FileInfo?>("--image-embeddings") { Description = "Parquet of article_id and embedding (list of floats): adds the image tower." };
        var articles = new Option<FileInfo?>("--articles") { Description = "The run's articles.parquet (article_id to article_idx); needed with --image-embeddings." };
        var labels = new Option<string?>("--labels") { Description = "Parquet of the validation week's purchases (customer_idx, article_idx; a run's recall/week=0/global/labels.parquet, or a blob: name): validation MAP@12 then counts purchases outside the candidates, as the evaluation does." };
        var threads = Threads();
        var watched = new Option<int>("--early-stopping-rows") { Description = "Early stopping watches at most about this many validation rows: one validation user in k when the week is larger (the whole week is still scored).", DefaultValueFactory = _ => 2_000_000 };
        var memory = new Option<string>("--memory-limit") { Description = "DuckDB memory limit while reading the features.", DefaultValueFactory = _ => "4GB" };
        var root = new RootCommand("hmrec-train-gpu: trains HmRec's two-tower network on a run's features, on CUDA when a GPU is present, else on the CPU.")
        {
            features, output, device, seed, epochs, batch, rate, decay, dropout, patience, images, articles, labels, threads, memory, watched, storage, container,
        };
        root.SetAction(parse =>
        {
            var options = new WorkerOptions(
                parse.GetValue(features)!,
                BlobJob.IsBlob(parse.GetValue(output)!) ? parse.GetValue(output)! : Path.GetFullPath(parse.GetValue(output)!),
                new TrainerOptions
                {
                    Seed = parse.GetValue(seed),
                    MaxEpochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batch),
                    LearningRate = parse.GetValue(rate),
                    WeightDecay = parse.GetValue(decay),
                    Dropout = parse.GetValue(dropout),
                    Patience = parse.GetValue(patience),
                },
                parse.GetValue(device)!,
                parse.GetValue(images)?.FullName,
                parse.GetValue(articles)?.FullName,
                parse.GetValue(labels) is { } l && !BlobJob.IsBlob(l) ? Path.GetFullPath(l) : parse.GetValue(labels),
                parse.GetValue(threads),
                parse.GetValue(memory)!,
                EarlyStoppingRows: parse.GetValue(watched));
            if (!BlobJob.IsBlob(options.Features) && !BlobJob.IsBlob(options.Output) && !BlobJob.IsBlob(options.Labels ?? ""))
            {
                return Train(options);
            }
            try
            {
                return BlobJob.Run(options, parse.GetValue(storage), parse.GetValue(container)!, Train);
            }
            catch (Exception e) when (e is ArgumentException or Azure.RequestFailedException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        root.Subcommands.Add(ThroughputCommand());
        root.Subcommands.Add(SampleCommand());
        root.Subcommands.Add(CheckDevicesCommand());
        return root;
    }

    /// <summary>Runs the job; a failure is printed as one line and recorded in error.txt (exit code 1).</summary>
    public static int Train(WorkerOptions options)
    {
        var errorPath = Path.Combine(options.Output, ModelFiles.WorkerError);
        try
        {
            Directory.CreateDirectory(options.Output);
            File.Delete(errorPath);
            WorkerJob.Run(options, line => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}"));
            return 0;
        }
        catch (Exception e) when (e is InputDataException or ArgumentException or NotSupportedException or DllNotFoundException or InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            TryWrite(errorPath, e.Message);
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e}");
            TryWrite(errorPath, e.ToString());
            return 1;
        }
    }

    private static void TryWrite(string path, string text)
    {
        try
        {
            WorkerJob.WriteAtomically(path, text + "\n");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static Command ThroughputCommand()
    {
        var defaults = new TrainerOptions();
        var device = Device();
        var batch = BatchSize(defaults);
        var batches = new Option<int>("--batches") { Description = "Timed training steps (after 3 untimed warm-up steps).", DefaultValueFactory = _ => 30 };
        var user = new Option<int>("--user-features") { DefaultValueFactory = _ => 20 };
        var item = new Option<int>("--item-features") { DefaultValueFactory = _ => 24 };
        var pair = new Option<int>("--pair-features") { DefaultValueFactory = _ => 46 };
        var image = new Option<int>("--image-dimensions") { Description = "0 for no image tower.", DefaultValueFactory = _ => 0 };
        var threads = Threads();
        var command = new Command("throughput", "Trains on generated batches of the network's shape and prints samples per second (fp32).")
        {
            device, batch, batches, user, item, pair, image, threads,
        };
        command.SetAction(parse =>
        {
            try
            {
                var result = Throughput.Measure(parse.GetValue(device)!, parse.GetValue(threads), parse.GetValue(batch), parse.GetValue(batches),
                    new Network.NetworkShape(parse.GetValue(user), parse.GetValue(item), parse.GetValue(image), parse.GetValue(pair)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"device={result.Device} batch={result.BatchSize} steps={result.Steps} seconds={result.Seconds:F3} samples_per_second={result.SamplesPerSecond:F0} ({result.Description})"));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or DllNotFoundException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Command CheckDevicesCommand()
    {
        var rows = new Option<int>("--rows") { Description = "Rows of the compared batch.", DefaultValueFactory = _ => 512 };
        var tolerance = new Option<double>("--tolerance") { Description = "Largest relative error allowed.", DefaultValueFactory = _ => 1e-4 };
        var command = new Command("check-devices", "One training step of the same network on the CPU and on CUDA: prints each tensor's relative difference; exit code 1 above the tolerance, 2 when CUDA fails.")
        {
            rows, tolerance,
        };
        command.SetAction(parse =>
        {
            if (!Tensors.Cuda.CudaBackend.Probe(out var reason))
            {
                Console.Error.WriteLine($"error: no CUDA device: {reason}.");
                return 1;
            }
            IReadOnlyList<DeviceComparison.Difference> differences;
            try
            {
                using var cpu = new Tensors.Cpu.CpuBackend();
                using var cuda = new Tensors.Cuda.CudaBackend();
                Console.WriteLine($"cpu: {cpu.Description}; cuda: {cuda.Description}");
                differences = DeviceComparison.Run(cpu, cuda, parse.GetValue(rows));
            }
            catch (Tensors.Cuda.CudaException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            var limit = parse.GetValue(tolerance);
            foreach (var d in differences)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d.Tensor,-40} {d.RelativeError:E2}{(d.RelativeError > limit ? "  ABOVE TOLERANCE" : "")}"));
            }
            var worst = differences.MaxBy(d => d.RelativeError)!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst: {worst.Tensor} {worst.RelativeError:E2} (tolerance {limit:E0}); {differences.Count} tensors compared"));
            return worst.RelativeError <= limit ? 0 : 1;
        });
        return command;
    }

    private static Command SampleCommand()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write week=*/shard=0.parquet into.", Required = true };
        var users = new Option<int>("--users") { Description = "Users per labelled week (10 candidates each).", DefaultValueFactory = _ => 300 };
        var weeks = new Option<int>("--training-weeks") { DefaultValueFactory = _ => 2 };
        var command = new Command("sample-features", "Writes a small features folder with a planted signal, to smoke-test the worker where no pipeline ran.")
        {
            output, users, weeks,
        };
        command.SetAction(parse =>
        {
            Console.WriteLine(SampleFeatures.Write(parse.GetValue(output)!.FullName, parse.GetValue(users), parse.GetValue(weeks)));
            return 0;
        });
        return command;
    }

    private static Option<string> Device() => new("--device")
    {
        Description = "auto (CUDA when a GPU is present, else CPU), cpu or cuda.",
        DefaultValueFactory = _ => "auto",
    };

    private static Option<int> BatchSize(TrainerOptions defaults) => new("--batch-size") { Description = "Rows per optimizer step.", DefaultValueFactory = _ => defaults.BatchSize };

    private static Option<int> Threads() => new("--threads") { Description = "CPU threads (0: one per core).", DefaultValueFactory = _ => 0 };
}
