namespace HmRec.Cli.Commands;

/// <summary>Prints errors a user can fix as one clear line instead of a stack trace.</summary>
internal static class CliErrors
{
    public static T? Guard<T>(Func<T> action)
        where T : class
    {
        try
        {
            return action();
        }
        catch (InputDataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
        }
        catch (DllNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
        }
        return null;
    }
}
