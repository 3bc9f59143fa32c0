using System.Text.Json;

namespace PushConsole.Sending.Providers.Fcm;

/// <summary>The google.rpc.Status envelope FCM answers errors with, reduced to what decides the outcome.</summary>
public sealed record FcmError(int Code, string? Status, string? Message, string? ErrorCode, IReadOnlyList<string> ViolatedFields)
{
    /// <summary>The FCM errorCode when there is one (UNREGISTERED, QUOTA_EXCEEDED…), else the status (UNAUTHENTICATED…).</summary>
    public string Reason => ErrorCode ?? Status ?? Code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static FcmError Parse(int httpStatus, string body)
    {
        string? status = null, message = null, errorCode = null;
        var fields = new List<string>();
        var code = httpStatus;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                if (error.TryGetProperty("code", out var c) && c.TryGetInt32(out var parsed)) code = parsed;
                status = Text(error, "status");
                message = Text(error, "message");
                if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
                    foreach (var detail in details.EnumerateArray())
                    {
                        var type = Text(detail, "@type") ?? "";
                        if (type.EndsWith("google.firebase.fcm.v1.FcmError", StringComparison.Ordinal)) errorCode ??= Text(detail, "errorCode");
                        else if (type.EndsWith("google.rpc.BadRequest", StringComparison.Ordinal)
                                 && detail.TryGetProperty("fieldViolations", out var violations) && violations.ValueKind == JsonValueKind.Array)
                            fields.AddRange(violations.EnumerateArray().Select(v => Text(v, "field")).OfType<string>());
                    }
            }
        }
        catch (JsonException)
        {
            message = body.Length > 200 ? body[..200] : body;
        }
        return new FcmError(code, status, message, errorCode, fields);
    }

    /// <summary>A 401 that only says our OAuth token is bad (no FcmError detail): refresh it and try once more.</summary>
    public bool IsExpiredAccessToken(int httpStatus) => httpStatus == 401 && ErrorCode is null or "UNSPECIFIED_ERROR";

    /// <summary>INVALID_ARGUMENT about the registration token itself (not the payload).</summary>
    public bool IsAboutToken =>
        ViolatedFields.Any(f => f is "message.token" or "token")
        || Message?.Contains("registration token", StringComparison.OrdinalIgnoreCase) == true;

    public bool IsTooBig => Message?.Contains("too big", StringComparison.OrdinalIgnoreCase) == true;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>FCM's error table (PROTOCOLS 1.5) as outcomes.</summary>
public static class FcmErrors
{
    /// <summary>FCM asks for at least a minute before retrying after an overall or topic quota error (when it sends no Retry-After).</summary>
    public static readonly TimeSpan MinimumQuotaBackoff = TimeSpan.FromMinutes(1);

    public static (ProviderOutcome Outcome, bool SlowDownLane, string Detail) Classify(int httpStatus, FcmError error)
    {
        switch (error.ErrorCode)
        {
            case "UNREGISTERED": return (ProviderOutcome.DeadToken, false, "The app instance is unregistered (uninstalled or its token expired).");
            case "SENDER_ID_MISMATCH": return (ProviderOutcome.DeadToken, false, "The token belongs to another Firebase project; it is useless to this app.");
            case "QUOTA_EXCEEDED": return (ProviderOutcome.RetryLater, true, "FCM's sending quota is exceeded: slow down the whole lane.");
            case "UNAVAILABLE": return (ProviderOutcome.RetryLater, false, "FCM is overloaded; retry later.");
            case "INTERNAL": return (ProviderOutcome.RetryLater, false, "FCM had an internal error; retry later.");
            case "THIRD_PARTY_AUTH_ERROR" or "APNS_AUTH_ERROR":
                return (ProviderOutcome.CredentialProblem, false, "The APNs or web-push credentials configured in the Firebase project are invalid.");
            case "INVALID_ARGUMENT":
                return error.IsAboutToken ? (ProviderOutcome.DeadToken, false, "FCM says the registration token is not valid.")
                    : error.IsTooBig ? (ProviderOutcome.PayloadTooLarge, false, "FCM says the message is too big.")
                    : (ProviderOutcome.PayloadRejected, false, $"FCM refused the message: {error.Message}");
        }
        return httpStatus switch
        {
            400 when error.IsAboutToken => (ProviderOutcome.DeadToken, false, "FCM says the registration token is not valid."),
            400 when error.IsTooBig => (ProviderOutcome.PayloadTooLarge, false, "FCM says the message is too big."),
            400 => (ProviderOutcome.PayloadRejected, false, $"FCM refused the message: {error.Message}"),
            401 => (ProviderOutcome.CredentialProblem, false, "FCM refused the OAuth token even after a refresh; check the service account."),
            403 => (ProviderOutcome.CredentialProblem, false, $"The service account may not send for this project: {error.Message}"),
            // without an FcmError detail a 404 is about the project or URL, never proof that the token is dead
            404 => (ProviderOutcome.CredentialProblem, false, $"FCM does not know this project or path: {error.Message}"),
            413 => (ProviderOutcome.PayloadTooLarge, false, "FCM says the request is too large."),
            429 => (ProviderOutcome.RetryLater, true, "FCM is rate limiting: slow down the whole lane."),
            408 or 500 or 502 or 503 or 504 => (ProviderOutcome.RetryLater, false, $"FCM answered {httpStatus}; retry later."),
            _ => (ProviderOutcome.Failed, false, $"FCM answered {httpStatus}: {error.Message}"),
        };
    }
}
