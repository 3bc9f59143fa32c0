using System.Data.Common;
using System.Runtime.InteropServices;
using Dapper;
using PushConsole.Devices;

namespace PushConsole.Audience;

/// <summary>
/// One app's installations and users as columns in memory, by a dense slot each, for segment counts
/// (<see cref="SegmentIndexEvaluator"/>). Strings are dictionary ids (-1 = NULL), times are ticks (<see cref="None"/> = NULL).
/// Filled by <see cref="LoadAsync"/> (all of the app, or the changed ids), which replaces every fact of the rows it reads.
/// Not thread-safe: <see cref="SegmentIndexes"/> serialises access.
/// </summary>
public sealed class SegmentIndex(long appId)
{
    public const long None = long.MinValue;

    public long AppId { get; } = appId;
    /// <summary>The last <c>segment_changes</c> id applied.</summary>
    public long Position { get; set; }
    public DateTime SyncedAt { get; set; }

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];
    public IReadOnlyList<string> Strings => _strings;

    // installations by slot
    public int Slots { get; private set; }
    private readonly Dictionary<long, int> _slotOf = [];
    public bool[] Alive = [];
    public int[] Platform = [], State = [], Version = [], Language = [], Zone = [], Consent = [], User = [];
    public long[] Created = [], LastSeen = [];
    public int[]?[] Tags = [];
    /// <summary>Open times, ascending.</summary>
    public long[]?[] Opens = [];

    // users by slot
    public int UserSlots { get; private set; }
    private readonly Dictionary<long, int> _userSlotOf = [];
    public int[] ULanguage = [], UZone = [], UConsent = [];
    public long[] UCreated = [], ULastActive = [];
    public int[]?[] UTags = [];
    /// <summary>Per attribute name: the text's id per user slot (-1 none) and the number (NaN none).</summary>
    public readonly Dictionary<int, (int[] Text, double[] Number)> Attributes = [];
    /// <summary>Per category: per user slot -1 none, 0 opted out, 1 opted in.</summary>
    public readonly Dictionary<int, sbyte[]> Categories = [];

    public int Id(string? value)
    {
        if (value is null) return -1;
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, value, out var exists);
        if (!exists) { id = _strings.Count; _strings.Add(value); }
        return id;
    }

    public int Find(string value) => _ids.TryGetValue(value, out var id) ? id : -1;

    public long Installations => _slotOf.Count;

    /// <summary>Reads the app's rows (<paramref name="installations"/>/<paramref name="users"/> null: all of them) and replaces their facts; ids not found are removed.</summary>
    public async Task LoadAsync(DbConnection connection, SqlDialect dialect, IReadOnlyCollection<long>? installations, IReadOnlyCollection<long>? users, CancellationToken ct)
    {
        var all = installations is null;
        if (all || users!.Count > 0) await LoadUsersAsync(connection, dialect, users, ct);
        if (all || installations!.Count > 0) await LoadInstallationsAsync(connection, dialect, installations, ct);
    }

    private async Task LoadUsersAsync(DbConnection connection, SqlDialect dialect, IReadOnlyCollection<long>? ids, CancellationToken ct)
    {
        var seen = new HashSet<long>();
        var parameters = new { app = AppId, ids = ids is null ? null : dialect.Ids(ids) };
        await ReadAsync(connection, $"SELECT u.id, u.language, u.time_zone, u.consent, u.created_at, u.last_active_at FROM app_users u WHERE u.app_id = @app{Filter("u.id")}", parameters, r =>
        {
            var id = r.GetInt64(0);
            seen.Add(id);
            var s = UserSlot(id);
            ULanguage[s] = Id(Text(r, 1)); UZone[s] = Id(Text(r, 2)); UConsent[s] = Id(Text(r, 3));
            UCreated[s] = Ticks(r, 4); ULastActive[s] = Ticks(r, 5);
            UTags[s] = null;
            foreach (var (text, number) in Attributes.Values) { text[s] = -1; number[s] = double.NaN; }
            foreach (var c in Categories.Values) c[s] = -1;
        }, ct);
        if (ids is not null)
            foreach (var id in ids.Where(i => !seen.Contains(i) && _userSlotOf.ContainsKey(i))) RemoveUser(id);
        string Filter(string column) => ids is null ? "" : " AND " + dialect.InIds(column, "@ids");
        await ReadAsync(connection, $"SELECT app_user_id, name, text_value, number_value FROM user_attributes WHERE app_id = @app{Filter("app_user_id")}", parameters, r =>
        {
            if (!_userSlotOf.TryGetValue(r.GetInt64(0), out var s)) return;
            var column = Attribute(Id(r.GetString(1)));
            column.Text[s] = Id(r.GetString(2));
            column.Number[s] = r.IsDBNull(3) ? double.NaN : r.GetDouble(3);
        }, ct);
        var tags = new Dictionary<int, List<int>>();
        await ReadAsync(connection, $"SELECT app_user_id, tag FROM user_tags WHERE app_id = @app{Filter("app_user_id")}", parameters, r =>
        {
            if (!_userSlotOf.TryGetValue(r.GetInt64(0), out var s)) return;
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(tags, s, out _);
            (list ??= []).Add(Id(r.GetString(1)));
        }, ct);
        foreach (var (s, list) in tags) UTags[s] = [.. list];
        await ReadAsync(connection, $"SELECT c.app_user_id, c.category, c.enabled FROM user_categories c JOIN app_users u ON u.id = c.app_user_id WHERE u.app_id = @app{Filter("c.app_user_id")}", parameters, r =>
        {
            if (!_userSlotOf.TryGetValue(r.GetInt64(0), out var s)) return;
            Category(Id(r.GetString(1)))[s] = r.GetBoolean(2) ? (sbyte)1 : (sbyte)0;
        }, ct);
    }

    private async Task LoadInstallationsAsync(DbConnection connection, SqlDialect dialect, IReadOnlyCollection<long>? ids, CancellationToken ct)
    {
        var seen = new HashSet<long>();
        var parameters = new { app = AppId, ids = ids is null ? null : dialect.Ids(ids) };
        string Filter(string column) => ids is null ? "" : " AND " + dialect.InIds(column, "@ids");
        var unknownUsers = new HashSet<long>();
        await ReadAsync(connection, "SELECT id, platform, state, language, time_zone, app_version, created_at, last_seen_at, app_user_id, consent " +
                                    $"FROM installations WHERE app_id = @app{Filter("id")}", parameters, r =>
        {
            var id = r.GetInt64(0);
            seen.Add(id);
            var s = Slot(id);
            Platform[s] = Id(r.GetString(1)); State[s] = Id(r.GetString(2)); Language[s] = Id(Text(r, 3)); Zone[s] = Id(Text(r, 4));
            Version[s] = Id(Text(r, 5)); Created[s] = Ticks(r, 6); LastSeen[s] = Ticks(r, 7); Consent[s] = Id(Text(r, 9));
            User[s] = -1;
            if (!r.IsDBNull(8))
            {
                var user = r.GetInt64(8);
                if (_userSlotOf.TryGetValue(user, out var us)) User[s] = us;
                else { unknownUsers.Add(user); User[s] = UserSlot(user); }
            }
            Tags[s] = null; Opens[s] = null;
        }, ct);
        if (ids is not null)
            foreach (var id in ids.Where(i => !seen.Contains(i) && _slotOf.ContainsKey(i))) Remove(id);
        // a user that appeared in the same instant as its installation: read it now rather than at the next change
        if (ids is not null && unknownUsers.Count > 0) await LoadUsersAsync(connection, dialect, unknownUsers, ct);
        var tags = new Dictionary<int, List<int>>();
        await ReadAsync(connection, $"SELECT installation_id, tag FROM installation_tags WHERE app_id = @app{Filter("installation_id")}", parameters, r =>
        {
            if (!_slotOf.TryGetValue(r.GetInt64(0), out var s)) return;
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(tags, s, out _);
            (list ??= []).Add(Id(r.GetString(1)));
        }, ct);
        foreach (var (s, list) in tags) Tags[s] = [.. list];
        var opens = new Dictionary<int, List<long>>();
        await ReadAsync(connection, $"SELECT installation_id, at FROM client_events WHERE app_id = @app AND type = '{ClientEventTypes.NotificationOpened}'{Filter("installation_id")}", parameters, r =>
        {
            if (!_slotOf.TryGetValue(r.GetInt64(0), out var s)) return;
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(opens, s, out _);
            (list ??= []).Add(r.GetDateTime(1).Ticks);
        }, ct);
        foreach (var (s, list) in opens) { list.Sort(); Opens[s] = [.. list]; }
    }

    private static async Task ReadAsync(DbConnection connection, string sql, object parameters, Action<DbDataReader> row, CancellationToken ct)
    {
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, commandTimeout: 0, cancellationToken: ct));
        while (await reader.ReadAsync(ct)) row(reader);
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static long Ticks(DbDataReader r, int i) => r.IsDBNull(i) ? None : r.GetDateTime(i).Ticks;

    private int Slot(long id)
    {
        if (_slotOf.TryGetValue(id, out var s)) return s;
        s = Slots++;
        if (s == Alive.Length)
        {
            var n = Math.Max(1024, s * 2);
            Array.Resize(ref Alive, n); Array.Resize(ref Platform, n); Array.Resize(ref State, n); Array.Resize(ref Version, n);
            Array.Resize(ref Language, n); Array.Resize(ref Zone, n); Array.Resize(ref Consent, n); Array.Resize(ref User, n);
            Array.Resize(ref Created, n); Array.Resize(ref LastSeen, n); Array.Resize(ref Tags, n); Array.Resize(ref Opens, n);
        }
        _slotOf[id] = s;
        Alive[s] = true;
        return s;
    }

    /// <summary>A deleted installation's slot stays dead (slots are not reused; a rebuild compacts them).</summary>
    private void Remove(long id)
    {
        var s = _slotOf[id];
        _slotOf.Remove(id);
        (Alive[s], Tags[s], Opens[s], User[s]) = (false, null, null, -1);
    }

    public int DeadSlots => Slots - _slotOf.Count;

    private int UserSlot(long id)
    {
        if (_userSlotOf.TryGetValue(id, out var s)) return s;
        s = UserSlots++;
        if (s == ULanguage.Length)
        {
            var n = Math.Max(1024, s * 2);
            Array.Resize(ref ULanguage, n); Array.Resize(ref UZone, n); Array.Resize(ref UConsent, n);
            Array.Resize(ref UCreated, n); Array.Resize(ref ULastActive, n); Array.Resize(ref UTags, n);
            foreach (var key in Attributes.Keys.ToList())
            {
                var (text, number) = Attributes[key];
                Array.Resize(ref text, n); Array.Resize(ref number, n);
                text.AsSpan(s).Fill(-1); number.AsSpan(s).Fill(double.NaN);
                Attributes[key] = (text, number);
            }
            foreach (var key in Categories.Keys.ToList())
            {
                var c = Categories[key];
                Array.Resize(ref c, n);
                c.AsSpan(s).Fill(-1);
                Categories[key] = c;
            }
        }
        _userSlotOf[id] = s;
        (ULanguage[s], UZone[s], UConsent[s], UCreated[s], ULastActive[s], UTags[s]) = (-1, -1, -1, None, None, null);
        return s;
    }

    /// <summary>A deleted user's slot keeps no facts; its installations were set to no user by the same delete (and re-read).</summary>
    private void RemoveUser(long id)
    {
        var s = _userSlotOf[id];
        _userSlotOf.Remove(id);
        (ULanguage[s], UZone[s], UConsent[s], UCreated[s], ULastActive[s], UTags[s]) = (-1, -1, -1, None, None, null);
        foreach (var (text, number) in Attributes.Values) { text[s] = -1; number[s] = double.NaN; }
        foreach (var c in Categories.Values) c[s] = -1;
    }

    private (int[] Text, double[] Number) Attribute(int name)
    {
        if (Attributes.TryGetValue(name, out var column)) return column;
        column = (new int[ULanguage.Length], new double[ULanguage.Length]);
        column.Text.AsSpan().Fill(-1);
        column.Number.AsSpan().Fill(double.NaN);
        return Attributes[name] = column;
    }

    private sbyte[] Category(int name)
    {
        if (Categories.TryGetValue(name, out var column)) return column;
        column = new sbyte[ULanguage.Length];
        column.AsSpan().Fill(-1);
        return Categories[name] = column;
    }
}
