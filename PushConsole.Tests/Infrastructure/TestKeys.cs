using System.Security.Cryptography;
using System.Text.Json;

namespace PushConsole.Tests.Infrastructure;

/// <summary>Freshly generated credentials of the shapes Google and Apple hand out.</summary>
public static class TestKeys
{
    public sealed record ServiceAccount(string Json, RSA Key, string ProjectId, string ClientEmail, string PrivateKeyId, string PrivateKeyPem);

    public static ServiceAccount NewServiceAccount(string tokenUri, string projectId = "event-app-test", Action<Dictionary<string, string>>? tamper = null)
    {
        var rsa = RSA.Create(2048);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var email = $"firebase-adminsdk@{projectId}.iam.gserviceaccount.com";
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var fields = new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = projectId,
            ["private_key_id"] = keyId,
            ["private_key"] = pem,
            ["client_email"] = email,
            ["client_id"] = "1234567890",
            ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
            ["token_uri"] = tokenUri,
            ["universe_domain"] = "googleapis.com",
        };
        tamper?.Invoke(fields);
        var json = JsonSerializer.Serialize(fields);
        return new ServiceAccount(json, rsa, projectId, email, keyId, pem);
    }

    public static string NewP8(out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    public static string NewP8() => NewP8(out _);

    /// <summary>The base64 body of a PEM, the part that would show up if the key leaked.</summary>
    public static string PemBody(string pem) =>
        string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim()));
}
