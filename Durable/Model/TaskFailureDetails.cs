using System.Text.Json.Serialization;

namespace HmRec.Durable.Model;

/// <summary>A failure as data: what crosses the durable boundary instead of a serialized exception.</summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace, TaskFailureDetails? InnerFailure)
{
    /// <summary>Captures an exception and its inner exceptions; a failed task's own failure becomes the inner failure.</summary>
    public static TaskFailureDetails FromException(Exception exception) => new(
        exception.GetType().FullName ?? exception.GetType().Name,
        exception.Message,
        exception.StackTrace,
        exception switch
        {
            TaskFailedException failed => failed.FailureDetails,
            { InnerException: { } inner } => FromException(inner),
            _ => null,
        });

    /// <summary>The innermost failure: usually the original error of the activity that failed.</summary>
    [JsonIgnore]
    public TaskFailureDetails Root => InnerFailure?.Root ?? this;

    /// <summary>True when this failure, or one inside it, is of type <typeparamref name="T"/>.</summary>
    public bool IsCausedBy<T>()
        where T : Exception => ErrorType == typeof(T).FullName || (InnerFailure?.IsCausedBy<T>() ?? false);

    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}
