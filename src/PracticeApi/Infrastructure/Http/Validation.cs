using System.Globalization;
using System.Reflection;
using FluentValidation;

namespace PracticeApi.Infrastructure.Http;

/// <summary>
/// Before the handler: the body must be there, its lists hold no null, and its validator (where the type has rules
/// beyond what its own types say, such as a closed set's enum) passes; otherwise a 400 validation problem.
/// </summary>
public sealed class ValidationFilter<T>(IValidator<T>? validator = null) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var argument = context.Arguments.OfType<T>().FirstOrDefault();
        if (argument is null)
        {
            return Problems.Validation("$", "A request body is required.");
        }

        if (NullItems.Find(argument) is { Count: > 0 } nulls)
        {
            return Problems.Validation(nulls.ToDictionary(n => n, _ => new[] { NullItem() }));
        }

        if (validator is null) return await next(context);

        // The validator's own messages (not empty, too long…) come in the request's language; ours are translated with
        // the problem.
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Languages.Of(context.HttpContext) == Languages.Dutch
            ? Dutch : CultureInfo.InvariantCulture;
        FluentValidation.Results.ValidationResult result;
        try
        {
            result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }

        if (!result.IsValid)
        {
            return Problems.Validation(result.Errors
                .GroupBy(e => JsonName(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));
        }

        return await next(context);
    }

    // By its bare name: the validator finds its Dutch messages by the name "nl" (the API runs without culture data).
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl");

    [MessageSource]
    private static string NullItem() => "a list item must not be null.";

    // FluentValidation names properties in C# case ("Answers[0].Value"); the wire is camelCase.
    private static string JsonName(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
}

/// <summary>
/// The dates a query or a body may name: wide enough for any real record, narrow enough that every window or schedule
/// computed from them (a year back, a year of occurrences, a whole day) stays within the calendar. Bodies keep to it as
/// they are read (WindowedDateConverter, UtcDateTimeConverter), queries through WithinWindow.
/// </summary>
public static class SearchWindow
{
    public static readonly DateOnly First = new(1900, 1, 1);
    public static readonly DateOnly Last = new(2999, 12, 31);

    public static bool Contains(DateOnly day) => day >= First && day <= Last;

    public static bool Contains(DateTimeOffset instant) => Contains(DateOnly.FromDateTime(instant.UtcDateTime));

    public static IRuleBuilderOptions<T, DateOnly?> WithinWindow<T>(this IRuleBuilder<T, DateOnly?> rule) =>
        rule.Must(d => d is null || Contains(d.Value))
            .WithMessage($"{{PropertyName}} must be between {First:yyyy-MM-dd} and {Last:yyyy-MM-dd}.");

    public static IRuleBuilderOptions<T, DateTimeOffset?> WithinWindow<T>(this IRuleBuilder<T, DateTimeOffset?> rule) =>
        rule.Must(d => d is null || Contains(d.Value))
            .WithMessage($"{{PropertyName}} must be between {First:yyyy-MM-dd} and {Last:yyyy-MM-dd}.");
}

public static class ValidationExtensions
{
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();

    /// <summary>Registers every validator of the assembly (the DI extensions package is not available here).</summary>
    public static IServiceCollection AddValidators(this IServiceCollection services, Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces()
                         .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)))
            {
                services.AddSingleton(contract, type);
            }
        }

        return services;
    }
}
