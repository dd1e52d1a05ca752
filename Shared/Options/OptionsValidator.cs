using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace HmRec.Shared.Options;

/// <summary>
/// Checks a record of options and the records of options it holds, by the data annotations on their settable properties
/// (<see cref="RangeAttribute"/>, <see cref="AllowedValuesAttribute"/>, ...) and by <see cref="IValidatableObject"/>
/// for the rules an attribute cannot say. The first value out of bounds fails with one line naming the option by
/// its path (<c>Recall.UserKnn.Neighbours</c>), the bounds and the value given.
/// </summary>
public static class OptionsValidator
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> at the first value out of bounds. <paramref name="prefix"/> goes before
    /// every name (<c>Ingest.</c> when a section is checked alone); <paramref name="name"/> turns a property's name into
    /// the option's (a command-line flag, say).
    /// </summary>
    public static void Validate(object options, string prefix = "", Func<string, string>? name = null)
    {
        name ??= static property => property;
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }
            var option = prefix + (property.GetCustomAttribute<DisplayAttribute>()?.Name ?? name(property.Name));
            var value = property.GetValue(options);
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (!rule.IsValid(value))
                {
                    throw new ArgumentException(Describe(option, rule, value));
                }
            }
            if (IsSection(property.PropertyType, options.GetType()))
            {
                Validate(value ?? throw new ArgumentException($"{option} must be an object of options (or left out for the defaults), not null."),
                    option + ".", name);
            }
        }
        if (options is IValidatableObject self)
        {
            var failure = self.Validate(new ValidationContext(options)).FirstOrDefault();
            if (failure is not null)
            {
                var member = failure.MemberNames.FirstOrDefault();
                throw new ArgumentException(member is null ? failure.ErrorMessage : $"{prefix}{name(member)} {failure.ErrorMessage}");
            }
        }
    }

    /// <summary>The command-line flag of a property: <c>PopularityConcentration</c> is <c>--popularity-concentration</c>.</summary>
    public static string Flag(string property) =>
        "--" + string.Concat(property.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>A nested record of options: a class of the same assembly as the record that holds it.</summary>
    private static bool IsSection(Type type, Type holder) => type.IsClass && type != typeof(string) && type.Assembly == holder.Assembly;

    private static string Describe(string option, ValidationAttribute rule, object? value) => rule switch
    {
        RangeAttribute range => string.Create(CultureInfo.InvariantCulture, $"{option} must be {Bounds(range)} (got {value})."),
        AllowedValuesAttribute allowed => $"{option} must be one of {string.Join(", ", allowed.Values)} (got '{value}').",
        _ => $"{rule.FormatErrorMessage(option)} (got {value}).",
    };

    /// <summary>"between 1 and 1,000", "a positive number", "in (0, 1]".</summary>
    private static string Bounds(RangeAttribute range)
    {
        var (low, high) = (Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture), Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture));
        if (double.IsPositiveInfinity(high))
        {
            return range.MinimumIsExclusive && low == 0 ? "a positive number" : string.Create(CultureInfo.InvariantCulture, $"at least {low}");
        }
        if (!range.MinimumIsExclusive && !range.MaximumIsExclusive)
        {
            var format = range.OperandType == typeof(int) ? "N0" : "G";
            return $"between {low.ToString(format, CultureInfo.InvariantCulture)} and {high.ToString(format, CultureInfo.InvariantCulture)}";
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"in {(range.MinimumIsExclusive ? "(" : "[")}{low}, {high}{(range.MaximumIsExclusive ? ")" : "]")}");
    }
}

/// <summary>A number above 0 and finite: a half-life in days, a ratio.</summary>
public sealed class PositiveAttribute : RangeAttribute
{
    public PositiveAttribute()
        : base(0d, double.PositiveInfinity)
    {
        MinimumIsExclusive = true;
        MaximumIsExclusive = true;
    }
}
