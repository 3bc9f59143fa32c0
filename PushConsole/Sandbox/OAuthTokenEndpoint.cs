using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PushConsole.Sandbox;

/// <summary>
/// Google's OAuth 2.0 token endpoint for service accounts (JWT-bearer grant): verifies the RS256 assertion
/// against the trusted public key, its issuer, audience, lifetime and scope, and issues a bearer token.
/// </summary>
public static class OAuthTokenEndpoint
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static readonly string[] Scopes = ["https://www.googleapis.com/auth/firebase.messaging", "https://www.googleapis.com/auth/cloud-platform"];

    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/token", HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext context, SandboxState state)
    {
        if (!context.Request.HasFormContentType) return Refuse(state, "invalid_request", "Expected application/x-www-form-urlencoded.");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != GrantType) return Refuse(state, "unsupported_grant_type", "Invalid grant_type.");
        var assertion = form["assertion"].ToString();
        var parts = assertion.Split('.');
        if (parts.Length != 3) return Refuse(state, "invalid_grant", "Invalid JWT.");
        JsonElement header, claims;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement.Clone();
            claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return Refuse(state, "invalid_grant", "Invalid JWT.");
        }
        if (Text(header, "alg") != "RS256") return Refuse(state, "invalid_grant", "Invalid JWT: alg must be RS256.");
        var signed = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        byte[] signature;
        try { signature = Base64Url.DecodeFromChars(parts[2]); }
        catch (FormatException) { return Refuse(state, "invalid_grant", "Invalid JWT Signature."); }
        // with a kid, that key; without one (Node's google-auth-library sends none), as Google does: the issuer's keys
        IReadOnlyList<SandboxState.ServiceAccountKey> candidates = Text(header, "kid") is { } kid
            ? state.FindServiceAccount(kid) is { } byKid ? [byKid] : []
            : state.FindServiceAccountsOf(Text(claims, "iss") ?? "");
        var account = candidates.FirstOrDefault(a => a.PublicKey.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        if (account is null) return Refuse(state, "invalid_grant", "Invalid JWT Signature.");
        if (Text(claims, "iss") != account.ClientEmail) return Refuse(state, "invalid_grant", "Invalid issuer.");
        // Google.Apis.Auth keeps Google's audience even when token_uri points elsewhere; accept both
        var audience = Text(claims, "aud");
        if (audience != "https://oauth2.googleapis.com/token" && audience != state.TokenUri?.ToString())
            return Refuse(state, "invalid_grant", "Invalid JWT: Failed audience check.");
        var now = state.Clock.GetUtcNow().ToUnixTimeSeconds();
        if (!claims.TryGetProperty("iat", out var iatElement) || !claims.TryGetProperty("exp", out var expElement)
            || !iatElement.TryGetInt64(out var iat) || !expElement.TryGetInt64(out var exp))
            return Refuse(state, "invalid_grant", "Invalid JWT: iat and exp are required.");
        if (exp - iat > 3600 || exp <= now || iat > now + 300)
            return Refuse(state, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.");
        var scope = Text(claims, "scope") ?? "";
        if (!scope.Split(' ').Any(Scopes.Contains)) return Refuse(state, "invalid_scope", "Scope does not allow firebase.messaging.");
        var token = state.Issue(account);
        return Results.Json(new { access_token = token.AccessToken, expires_in = 3599, token_type = "Bearer" });
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Refuse(SandboxState state, string error, string description)
    {
        state.CountRefusedTokenRequest();
        return Results.Json(new { error, error_description = description }, statusCode: 400);
    }
}
