using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Telephony.Api.Validation;

/// <summary>
/// Checks the data annotations of every request body before the handler runs, so a bad request gets a
/// 400 that names each field (camelCase, as the client sent it) and nothing is written.
/// </summary>
internal sealed class DataAnnotationsValidationFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var argument in context.Arguments)
        {
            if (argument is null || !IsRequestType(argument.GetType()))
            {
                continue;
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(argument, new ValidationContext(argument), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    foreach (var member in result.MemberNames.DefaultIfEmpty(""))
                    {
                        var field = JsonNamingPolicy.CamelCase.ConvertName(member);
                        errors[field] = [.. errors.GetValueOrDefault(field, []), result.ErrorMessage ?? "is invalid."];
                    }
                }
            }
        }

        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : await next(context);
    }

    // Only this service's own request types carry annotations worth checking.
    private static bool IsRequestType(Type type) =>
        type.IsClass && type.Namespace?.StartsWith("Telephony.Api", StringComparison.Ordinal) == true && type.Name.EndsWith("Request", StringComparison.Ordinal);
}
