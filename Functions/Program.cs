using HmRec.Functions.Cli;

return await HmRecCli.Build().Parse(args).InvokeAsync();
