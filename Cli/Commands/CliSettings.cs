namespace HmRec.Cli.Commands;

/// <summary>The host settings of the current directory and environment, as the commands read them.</summary>
internal static class CliSettings
{
    /// <summary>The settings, or null after printing the one-line error that names the bad setting.</summary>
    public static HostSettings? Load()
    {
        try
        {
            return HostSettings.Load(Environment.CurrentDirectory, Environment.GetEnvironmentVariables()
                .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
    }
}
