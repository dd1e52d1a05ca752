using HmRec.Durable.CrashWorker;
using HmRec.Durable.Model;
using HmRec.Durable.Runtime;
using HmRec.Durable.Stores.Sqlite;

// Usage: HmRec.Durable.CrashWorker <taskhub.db> <log> <instance id>
// Runs a worker until the instance finishes (exit 0) or the process is killed.
var store = new SqliteDurableStore(args[0]);
var registry = CrashWorkload.Register(new DurableTaskRegistry(), args[1]);
var worker = new DurableWorker(registry, store, new DurableWorkerOptions
{
    MaxConcurrentActivities = 8,
    ActivityLease = TimeSpan.FromSeconds(1),
    OrchestrationLease = TimeSpan.FromSeconds(1),
    MaxDequeueCount = 1000,
    MaxPollInterval = TimeSpan.FromMilliseconds(50),
});
await worker.StartAsync();
while (true)
{
    var state = await store.GetInstanceAsync(args[2], false, CancellationToken.None);
    if (state is { IsCompleted: true })
    {
        break;
    }
    await Task.Delay(50);
}
await worker.StopAsync();
return 0;
