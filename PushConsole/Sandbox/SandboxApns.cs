using System.Collections.Concurrent;
using System.Security.Cryptography;
using PushConsole.Sending.Providers;

namespace PushConsole.Sandbox;

/// <summary>A .p8 key made by <see cref="SandboxState.CreateApnsKey"/>: everything the app page asks for.</summary>
public sealed record SandboxApnsKey(string P8, string KeyId, string TeamId, string BundleId);

public sealed partial class SandboxState
{
    private readonly ConcurrentDictionary<string, ApnsKeyRegistration> _apnsKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApnsEnvironment> _apnsDevices = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _apnsJwts = new(StringComparer.Ordinal);

    /// <summary>Per HTTP/2 connection (Kestrel connection id); dropped when the connection closes.</summary>
    internal ConcurrentDictionary<string, ApnsEndpoint.Connection> ApnsConnections { get; } = new(StringComparer.Ordinal);

    /// <summary>A key Apple knows: its public half, its team, the topics (bundle ids) it may push to, and optionally one environment.</summary>
    public sealed record ApnsKeyRegistration(string KeyId, string TeamId, ECDsa PublicKey, IReadOnlySet<string> Topics, ApnsEnvironment? OnlyEnvironment);

    /// <summary>How many different provider tokens (JWTs) APNs has seen: a client that reuses its token shows 1.</summary>
    public long ApnsProviderTokensSeen => _apnsJwts.Count;

    public void RegisterApnsKey(string keyId, string teamId, ECDsa publicKey, IEnumerable<string> topics, ApnsEnvironment? onlyEnvironment = null) =>
        _apnsKeys[keyId] = new ApnsKeyRegistration(keyId, teamId, publicKey, topics.ToHashSet(StringComparer.Ordinal), onlyEnvironment);

    /// <summary>Makes a .p8 key for <paramref name="bundleId"/>, registered here, as Apple's developer site would.</summary>
    public SandboxApnsKey CreateApnsKey(string bundleId, string? teamId = null, ApnsEnvironment? onlyEnvironment = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyId = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10);
        teamId ??= RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10);
        var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        RegisterApnsKey(keyId, teamId, publicKey, [bundleId], onlyEnvironment);
        return new SandboxApnsKey(key.ExportPkcs8PrivateKeyPem(), keyId, teamId, bundleId);
    }

    /// <summary>A device token as an iPhone of that build (development = sandbox) would get; sent to the other host it is a BadDeviceToken.</summary>
    public string NewApnsDeviceToken(ApnsEnvironment environment = ApnsEnvironment.Production)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _apnsDevices[token] = environment;
        return token;
    }

    internal ApnsKeyRegistration? FindApnsKey(string keyId) => _apnsKeys.GetValueOrDefault(keyId);

    /// <summary>Null when the sandbox never issued the token (then any environment is accepted).</summary>
    internal ApnsEnvironment? ApnsDeviceEnvironment(string token) => _apnsDevices.TryGetValue(token, out var environment) ? environment : null;

    internal void SawApnsJwt(string jwt) => _apnsJwts.TryAdd(jwt, 0);

    internal ConcurrentDictionary<string, (ApnsKeyRegistration Key, long IssuedAt)> VerifiedApnsJwts { get; } = new(StringComparer.Ordinal);

    internal void RememberApnsJwt(string jwt, ApnsKeyRegistration key, long issuedAt)
    {
        if (VerifiedApnsJwts.Count > 10_000) VerifiedApnsJwts.Clear();
        VerifiedApnsJwts[jwt] = (key, issuedAt);
    }
}
