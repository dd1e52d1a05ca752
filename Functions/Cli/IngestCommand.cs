using System.CommandLine;

namespace HmRec.Functions.Cli;

internal static class IngestCommand
{
    public static Command Create() => new("ingest", "Validate the three CSV files and write typed, integer-keyed parquet.");
}
