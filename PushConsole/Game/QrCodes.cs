using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Data;

namespace PushConsole.Game;

/// <summary>
/// Printed hunt codes: <c>PCQ1-{challenge}-{number}-{signature}</c>, the signature an HMAC-SHA256 under the app's own game key
/// (random, encrypted at rest with Data Protection), so a made-up code or one of another app never verifies.
/// </summary>
public sealed class QrCodes(IDbContextFactory<AppDbContext> contexts, AppSecrets secrets, TimeProvider clock)
{
    private const string Prefix = "PCQ1";
    private readonly ConcurrentDictionary<long, byte[]> _keys = new();

    public sealed record ScannedCode(long ChallengeId, int Number);

    public async Task<string> CodeAsync(long appId, long challengeId, int number, CancellationToken ct = default) =>
        $"{Prefix}-{challengeId.ToString(CultureInfo.InvariantCulture)}-{number.ToString(CultureInfo.InvariantCulture)}-{Sign(await KeyAsync(appId, ct), appId, challengeId, number)}";

    /// <summary>The challenge and number a code names, or a 400 naming <c>code</c> when it is malformed, forged or not this app's.</summary>
    public async Task<ScannedCode> VerifyAsync(long appId, string? code, CancellationToken ct = default)
    {
        var parts = (code ?? "").Trim().Split('-', 4); // the signature (base64url) may hold '-' itself
        if (parts.Length != 4 || parts[0] != Prefix
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var challengeId)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
            throw new BadInputException("code", "This is not a PushConsole hunt code; scan one of the printed QR codes (they read PCQ1-…).");
        var expected = Encoding.ASCII.GetBytes(Sign(await KeyAsync(appId, ct), appId, challengeId, number));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[3])))
            throw new BadInputException("code", "This code is not valid for this app: it was not printed by this event's hunt.");
        return new ScannedCode(challengeId, number);
    }

    private static string Sign(byte[] key, long appId, long challengeId, int number) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{appId}:{challengeId}:{number}")).AsSpan(0, 16));

    /// <summary>The app's game key, made on first use (a racing second maker reads the winner's).</summary>
    private async Task<byte[]> KeyAsync(long appId, CancellationToken ct)
    {
        if (_keys.TryGetValue(appId, out var key)) return key;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stored = await db.Set<GameSecret>().AsNoTracking().FirstOrDefaultAsync(s => s.AppId == appId, ct);
        if (stored is null)
        {
            db.Add(new GameSecret { AppId = appId, ProtectedKey = secrets.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), CreatedAt = clock.GetUtcNow().UtcDateTime });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) { }
            await using var again = await contexts.CreateDbContextAsync(ct);
            stored = await again.Set<GameSecret>().AsNoTracking().FirstAsync(s => s.AppId == appId, ct);
        }
        return _keys[appId] = Convert.FromBase64String(secrets.Unprotect(stored.ProtectedKey));
    }
}
