namespace PushConsole.Sending.Providers.Apns;

/// <summary>Every reason in Apple's table (PROTOCOLS 2.5) as an outcome.</summary>
public static class ApnsErrors
{
    public static (ProviderOutcome Outcome, string Detail) Classify(int status, string? reason) => reason switch
    {
        "Unregistered" => (ProviderOutcome.DeadToken, "The device token is no longer active for the topic."),
        "ExpiredToken" => (ProviderOutcome.DeadToken, "The device token has expired."),
        // also what a token sent to the wrong environment gets: the installation's apnsEnvironment decides the host
        "BadDeviceToken" => (ProviderOutcome.DeadToken, "APNs says the device token is invalid (or belongs to the other environment)."),
        "MissingDeviceToken" => (ProviderOutcome.DeadToken, "The device token is missing."),

        "DeviceTokenNotForTopic" => (ProviderOutcome.Failed, "The device token belongs to another app (topic); the token itself may be fine."),
        "BadCollapseId" => (ProviderOutcome.PayloadRejected, "apns-collapse-id is too long."),
        "BadExpirationDate" => (ProviderOutcome.PayloadRejected, "apns-expiration is not valid."),
        "BadMessageId" => (ProviderOutcome.PayloadRejected, "apns-id is not a valid UUID."),
        "BadPriority" => (ProviderOutcome.PayloadRejected, "apns-priority is not valid for this push type."),
        "DuplicateHeaders" => (ProviderOutcome.PayloadRejected, "A header was repeated."),
        "InvalidPushType" => (ProviderOutcome.PayloadRejected, "apns-push-type is not valid."),
        "PayloadEmpty" => (ProviderOutcome.PayloadRejected, "The payload is empty."),
        "PayloadTooLarge" => (ProviderOutcome.PayloadTooLarge, "The payload is larger than APNs allows."),

        "MissingTopic" or "BadTopic" or "TopicDisallowed" => (ProviderOutcome.CredentialProblem, "The bundle id (apns-topic) is not allowed for this key; check the app's APNs settings."),
        "BadCertificate" or "BadCertificateEnvironment" or "Forbidden" or "InvalidProviderToken" or "MissingProviderToken"
            or "ExpiredProviderToken" or "UnrelatedKeyIdInToken" or "BadEnvironmentKeyIdInToken" or "BadEnvironmentKeyInToken"
            => (ProviderOutcome.CredentialProblem, $"APNs refused the app's key ({reason}); check key id, team id and environment."),

        "TooManyProviderTokenUpdates" => (ProviderOutcome.RetryLater, "The provider token changed too often on this connection; retry later."),
        "TooManyRequests" => (ProviderOutcome.RetryLater, "Too many pushes in a row to this device; retry later."),
        "IdleTimeout" => (ProviderOutcome.RetryLater, "The connection idled out; retry."),
        "InternalServerError" => (ProviderOutcome.RetryLater, "APNs had an internal error; retry later."),
        "ServiceUnavailable" or "Shutdown" => (ProviderOutcome.RetryLater, "APNs is unavailable or shutting this connection down; retry."),

        "BadPath" or "MethodNotAllowed" => (ProviderOutcome.Failed, $"APNs refused the request ({reason})."),
        _ => status switch
        {
            410 => (ProviderOutcome.DeadToken, "APNs says the device token is gone."),
            413 => (ProviderOutcome.PayloadTooLarge, "The payload is larger than APNs allows."),
            403 => (ProviderOutcome.CredentialProblem, $"APNs refused the app's credentials ({reason})."),
            429 or 500 or 502 or 503 or 504 => (ProviderOutcome.RetryLater, $"APNs answered {status}; retry later."),
            400 => (ProviderOutcome.PayloadRejected, $"APNs refused the request ({reason})."),
            _ => (ProviderOutcome.Failed, $"APNs answered {status} ({reason})."),
        },
    };
}
