using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace PushConsole.Api;

/// <summary>Every API error is application/problem+json with what to fix; bad input never becomes a 500.</summary>
public static class ProblemHandling
{
    public static WebApplicationBuilder AddProblemHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // wrong JSON types reach the exception handler (and name the field) instead of an empty 400
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNameCaseInsensitive = true;
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            StrictJson.Apply(o.SerializerOptions);
        });
        return builder;
    }

    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Title = "The request has invalid fields.",
            Detail = detail ?? "Fix the fields listed in 'errors' and send the request again.",
            Status = StatusCodes.Status400BadRequest,
        });
}

public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            BadInputException bad => new HttpValidationProblemDetails(bad.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Title = "The request has invalid fields.",
                Detail = "Fix the fields listed in 'errors' and send the request again.",
                Status = StatusCodes.Status400BadRequest,
            },
            NotFoundException notFound => new ProblemDetails { Title = "Not found.", Detail = notFound.Message, Status = StatusCodes.Status404NotFound },
            ConflictException conflict => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [conflict.Field] = [conflict.Message] })
            {
                Title = "Conflict.", Detail = conflict.Message, Status = StatusCodes.Status409Conflict,
            },
            BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
            BadHttpRequestException badRequest => new ProblemDetails
            {
                Title = "The request could not be read.", Detail = badRequest.Message, Status = badRequest.StatusCode,
            },
            _ => null,
        };
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            return false;
        }
        context.Response.StatusCode = problem.Status ?? 400;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static HttpValidationProblemDetails JsonProblem(JsonException json)
    {
        var (field, message) = StrictJson.Describe(json) ?? DescribeType(json);
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Title = "The request body could not be read.",
            Detail = "Send JSON whose fields have the documented types.",
            Status = StatusCodes.Status400BadRequest,
        };
    }

    private static (string Field, string Message) DescribeType(JsonException json)
    {
        var field = StrictJson.FieldOf(json.Path);
        var message = json.Path is null
            ? "The body is not valid JSON."
            : $"Wrong type or malformed value at '{field}'. {FirstSentence(json.Message)}";
        return (field, message);
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..(i + 1)] : message;
    }
}
