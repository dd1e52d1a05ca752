using System.CommandLine;
using HmRec.Training.Gpu;

return WorkerCli.Build().Parse(args).Invoke();
