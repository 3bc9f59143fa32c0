using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using PushConsole.Api;

namespace PushConsole.Apps;

/// <summary>What a valid FCM service-account JSON tells us (never the private key).</summary>
public sealed record FcmServiceAccountInfo(string ProjectId, string ClientEmail, string PrivateKeyId, string TokenUri);

/// <summary>What a valid APNs .p8 key tells us.</summary>
public sealed record ApnsKeyInfo(string PublicKeyFingerprint);

/// <summary>Checks uploaded credentials before anything is stored; every problem names its field.</summary>
public static partial class CredentialValidation
{
    public const string DefaultTokenUri = "https://oauth2.googleapis.com/token";

    public static FcmServiceAccountInfo ValidateServiceAccount(string? json, string field = "fcmServiceAccount")
    {
        if (string.IsNullOrWhiteSpace(json))
            throw new BadInputException(field, "Upload the service-account JSON downloaded from the Firebase console (Project settings → Service accounts).");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new BadInputException(field, $"This is not valid JSON ({e.Message.Split('.')[0]}). Upload the service-account .json file itself.");
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new BadInputException(field, "The service-account file must be a JSON object.");

        var problems = new List<string>();
        string? Text(string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
                return null;
            return value.GetString();
        }
        var type = Text("type");
        if (type != "service_account") problems.Add($"\"type\" must be \"service_account\" (found {(type is null ? "nothing" : $"\"{type}\"")}).");
        var projectId = Text("project_id");
        if (projectId is null) problems.Add("\"project_id\" is missing.");
        var clientEmail = Text("client_email");
        if (clientEmail is null || !clientEmail.Contains('@')) problems.Add("\"client_email\" is missing or not an email address.");
        var privateKeyId = Text("private_key_id");
        if (privateKeyId is null) problems.Add("\"private_key_id\" is missing.");
        var privateKey = Text("private_key");
        if (privateKey is null) problems.Add("\"private_key\" is missing.");
        else if (!privateKey.Contains("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal))
            problems.Add("\"private_key\" must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----); Google's OAuth library refuses other formats.");
        else
        {
            try
            {
                using var rsa = RSA.Create();
                rsa.ImportFromPem(privateKey);
                if (rsa.KeySize < 2048) problems.Add("\"private_key\" is shorter than 2048 bits.");
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                problems.Add("\"private_key\" does not parse as an RSA PKCS#8 private key.");
            }
        }
        var tokenUri = Text("token_uri") ?? DefaultTokenUri;
        if (!IsAllowedEndpoint(tokenUri))
            problems.Add("\"token_uri\" must be an https URL (plain http only to a loopback address).");
        var universe = Text("universe_domain");
        if (universe is not null && universe != "googleapis.com")
            problems.Add("\"universe_domain\" must be \"googleapis.com\"; other universes never call the token endpoint.");

        if (problems.Count > 0) throw new BadInputException(new Dictionary<string, string[]> { [field] = [.. problems] });
        return new FcmServiceAccountInfo(projectId!, clientEmail!, privateKeyId!, tokenUri);
    }

    public static ApnsKeyInfo ValidateApns(string? p8, string? keyId, string? teamId, string? bundleId, string? environment)
    {
        var errors = new FieldErrors();
        ApnsKeyInfo? info = null;
        if (string.IsNullOrWhiteSpace(p8))
            errors.Add("apnsKey", "Upload the .p8 key downloaded from Apple (Certificates, Identifiers & Profiles → Keys).");
        else
        {
            try
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(p8);
                var parameters = ecdsa.ExportParameters(false);
                if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value && parameters.Curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256"))
                    errors.Add("apnsKey", "The .p8 key is not on the P-256 curve; APNs needs an ES256 (P-256) key.");
                else
                    info = new ApnsKeyInfo(Convert.ToHexStringLower(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo()))[..16]);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                errors.Add("apnsKey", "The .p8 file is not a P-256 (ES256) private key in PEM form (-----BEGIN PRIVATE KEY-----).");
            }
        }
        if (string.IsNullOrWhiteSpace(keyId) || !AppleId().IsMatch(keyId.Trim()))
            errors.Add("apnsKeyId", "The Key ID is the 10 letters/digits Apple shows beside the key, e.g. ABC123DEFG.");
        if (string.IsNullOrWhiteSpace(teamId) || !AppleId().IsMatch(teamId.Trim()))
            errors.Add("apnsTeamId", "The Team ID is the 10 letters/digits from your Apple developer membership.");
        if (string.IsNullOrWhiteSpace(bundleId) || !BundleId().IsMatch(bundleId.Trim()))
            errors.Add("apnsBundleId", "The bundle id looks like com.example.eventapp (it is the APNs topic).");
        if (PlatformNames.ParseApnsEnvironment(environment) is null)
            errors.Add("apnsEnvironment", "Choose sandbox (development builds) or production.");
        errors.ThrowIfAny();
        return info!;
    }

    public static string ValidateVapidSubject(string? subject)
    {
        subject = subject?.Trim();
        if (string.IsNullOrEmpty(subject)
            || !(subject.StartsWith("mailto:", StringComparison.Ordinal) && subject.Length > 8 && subject.Contains('@'))
               && !(Uri.TryCreate(subject, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            throw new BadInputException("vapidSubject", "Give a contact push services can reach: mailto:ops@example.com or an https:// URL.");
        return subject;
    }

    /// <summary>https anywhere, plain http only to loopback (the sandbox and tests).</summary>
    public static bool IsAllowedEndpoint(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri));

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);

    [GeneratedRegex("^[A-Z0-9]{10}$")]
    private static partial Regex AppleId();

    [GeneratedRegex(@"^[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")]
    private static partial Regex BundleId();
}
