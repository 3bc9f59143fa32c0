using System.Security.Cryptography;

namespace SegmentsBench;

/// <summary>
/// A generated event audience: every value is a pure function of (row, salt), so each table streams on its own and the
/// same command always seeds the same data. Spread: 60 % Android, 35 % iOS, 5 % web; 9 installations in 10 have a user
/// (users = 7/10 of installations); roles attendee 85 %, speaker 7 %, sponsor 5 %, staff 3 %; 2,000 companies; six
/// interest tracks; languages and zones of a European conference with overseas visitors.
/// </summary>
internal sealed class World(int installations, DateTime now)
{
    public int Users { get; } = installations * 7 / 10;

    private static readonly (string Value, double Weight)[] Languages = [("en", 40), ("fr", 20), ("de", 15), ("pl", 10), ("es", 10), ("pt-BR", 5)];
    private static readonly (string Value, double Weight)[] Zones =
    [
        ("Europe/Paris", 25), ("Europe/Berlin", 15), ("Europe/London", 15), ("Europe/Warsaw", 10), ("America/New_York", 15),
        ("America/Los_Angeles", 5), ("Asia/Kolkata", 5), ("Asia/Tokyo", 5), ("Australia/Sydney", 5),
    ];
    private static readonly (string Value, double Weight)[] Roles = [("attendee", 85), ("speaker", 7), ("sponsor", 5), ("staff", 3)];
    private static readonly (string Value, double Weight)[] Platforms = [("android", 60), ("ios", 35), ("web", 5)];
    private static readonly (string Value, double Weight)[] States =
        [("subscribed", 85), ("background_only", 5), ("unsubscribed", 5), ("invalid", 3), ("uninstalled", 2)];
    private static readonly (string Value, double Weight)[] Versions = [("3.9.2", 10), ("3.10.0", 15), ("3.10.1", 30), ("3.11.0", 35), ("4.0.0", 10)];
    private static readonly string[] Tracks = ["track-ai", "track-cloud", "track-security", "track-data", "track-mobile", "track-web"];

    public IEnumerable<(string Table, string[] Columns, IEnumerable<object?[]> Rows)> Tables(long appId)
    {
        yield return ("app_users", ["id", "app_id", "external_id", "email", "normalized_email", "language", "time_zone", "consent", "created_at", "updated_at", "last_active_at"],
            Range(Users).Select(u => new object?[]
            {
                (long)u, appId, $"user-{u}", $"user{u}@example.com", $"user{u}@example.com", Pick(Languages, u, 1), Pick(Zones, u, 2),
                H(u, 3) switch { < 0.7 => "granted", < 0.8 => "denied", _ => "unknown" }, Ago(u, 4, 365), Ago(u, 4, 365),
                H(u, 5) < 0.8 ? now.AddSeconds(-Math.Floor(86400 * 60 * H(u, 6) * H(u, 6))) : null,
            }));
        yield return ("user_attributes", ["app_user_id", "app_id", "name", "text_value", "number_value"], Range(Users).SelectMany(u => Attributes(u, appId)));
        yield return ("user_tags", ["app_user_id", "app_id", "tag"], Range(Users).SelectMany(u =>
            Tracks.Where((_, k) => H(u, 20 + k) < 0.15).Append(H(u, 30) < 0.03 ? "vip" : null).Append(H(u, 31) < 0.2 ? "early-bird" : null)
                .Where(t => t is not null).Select(t => new object?[] { (long)u, appId, t })));
        yield return ("user_categories", ["app_user_id", "category", "enabled", "updated_at"], Range(Users).SelectMany(u => new[]
        {
            H(u, 40) < 0.85 ? new object?[] { (long)u, "marketing", H(u, 41) < 0.7, now } : null,
            H(u, 42) < 0.9 ? new object?[] { (long)u, "reminders", H(u, 43) < 0.95, now } : null,
            H(u, 44) < 0.9 ? new object?[] { (long)u, "program_changes", true, now } : null,
        }.OfType<object?[]>()));
        yield return ("installations", ["id", "app_id", "external_id", "platform", "token", "app_user_id", "state", "notifications_enabled", "language",
                "time_zone", "app_version", "os_version", "device_model", "created_at", "updated_at", "last_seen_at", "token_registered_at"],
            Range(installations).Select(i =>
            {
                var platform = Pick(Platforms, i, 50);
                long? user = H(i, 51) < 0.9 ? 1 + (long)(H(i, 52) * Users) : null;
                var state = Pick(States, i, 53);
                var created = Ago(i, 54, 300);
                return new object?[]
                {
                    (long)i, appId, $"inst-{i:D7}", platform, Token(i, platform), user, state, state != "background_only",
                    H(i, 55) < 0.1 ? null : user is { } a && H(i, 56) < 0.85 ? Pick(Languages, (int)a, 1) : Pick(Languages, i, 57),
                    H(i, 58) < 0.1 ? null : user is { } b && H(i, 59) < 0.9 ? Pick(Zones, (int)b, 2) : Pick(Zones, i, 60),
                    Pick(Versions, i, 61), platform == "ios" ? "17.4" : "14", platform == "ios" ? "iPhone15,2" : "Pixel 8",
                    created, created, Ago(i, 62, 45), created,
                };
            }));
        yield return ("installation_tags", ["installation_id", "app_id", "tag"], Range(installations).SelectMany(i =>
            new[] { H(i, 70) < 0.05 ? "beta" : null, H(i, 71) < 0.3 ? "wifi-venue" : null, H(i, 72) < 0.2 ? "hall-a" : H(i, 72) < 0.4 ? "hall-b" : null }
                .Where(t => t is not null).Select(t => new object?[] { (long)i, appId, t })));
        long eventId = 0;
        yield return ("client_events", ["id", "app_id", "installation_id", "type", "at", "received_at"], Range(installations).SelectMany(i =>
        {
            // 4 in 10 devices opened something in the last 60 days (1–8 opens), and most received a few pushes
            var opens = H(i, 80) < 0.4 ? 1 + (int)(H(i, 81) * 8) : 0;
            var received = (int)(H(i, 82) * 3);
            return Enumerable.Range(0, opens).Select(k => ("notification_opened", Ago(i, 83 + k, 60)))
                .Concat(Enumerable.Range(0, received).Select(k => ("notification_received", Ago(i, 93 + k, 60))))
                .Select(e => new object?[] { ++eventId, appId, (long)i, e.Item1, e.Item2, e.Item2 });
        }));
    }

    private IEnumerable<object?[]> Attributes(int u, long appId)
    {
        if (H(u, 10) < 0.95) yield return [(long)u, appId, "role", Pick(Roles, u, 11), null];
        if (H(u, 12) < 0.7)
        {
            // a long tail of companies: a few big sponsors, many small ones
            var company = (int)(2000 * H(u, 13) * H(u, 13));
            yield return [(long)u, appId, "company", $"Company {company:D4}", null];
        }
        if (H(u, 14) < 0.9) yield return [(long)u, appId, "ticket", H(u, 15) < 0.1 ? "vip" : H(u, 15) < 0.3 ? "student" : "standard", null];
        if (H(u, 16) < 0.6)
        {
            var sessions = Math.Floor(20 * H(u, 17));
            yield return [(long)u, appId, "sessions_attended", sessions.ToString(System.Globalization.CultureInfo.InvariantCulture), sessions];
        }
    }

    private static IEnumerable<int> Range(int count) => Enumerable.Range(1, count);

    private DateTime Ago(int row, int salt, int maxDays) => now.AddSeconds(-Math.Floor(maxDays * 86400 * H(row, salt)));

    private static string Token(int i, string platform)
    {
        var hash = SHA256.HashData(BitConverter.GetBytes(i));
        return platform switch
        {
            "ios" => Convert.ToHexStringLower(hash),
            "web" => $"https://fcm.googleapis.com/fcm/send/{Convert.ToBase64String(hash).Replace('+', '-').Replace('/', '_')[..22]}:APA91b{new string('w', 100)}{i}",
            _ => $"{Convert.ToBase64String(hash).Replace('+', '-').Replace('/', '_')[..22]}:APA91b{new string('x', 120)}{i}",
        };
    }

    private static string Pick((string Value, double Weight)[] choices, int row, int salt)
    {
        var x = H(row, salt) * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
            if ((x -= weight) < 0) return value;
        return choices[^1].Value;
    }

    /// <summary>A uniform number in [0, 1) from (row, salt): SplitMix64.</summary>
    private static double H(int row, int salt)
    {
        var z = (ulong)row * 0x9E3779B97F4A7C15UL + (ulong)salt * 0xD1B54A32D192ED03UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
