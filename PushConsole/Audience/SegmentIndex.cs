using System.Data.Common;
using System.Runtime.InteropServices;
using Dapper;
using PushConsole.Devices;

namespace PushConsole.Audience;

/// <summary>Distinct strings of a column family, each a small number (its code); more than <paramref name="limit"/> fails the build (SQL then counts).</summary>
public sealed class Codes(int limit)
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];
    public IReadOnlyList<string> Values => _values;

    public int Id(string value)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, value, out var exists);
        if (!exists)
        {
            if (_values.Count >= limit) { _ids.Remove(value); throw new InvalidOperationException($"More than {limit} distinct values in one column."); }
            id = _values.Count;
            _values.Add(value);
        }
        return id;
    }

    public int Find(string value) => _ids.TryGetValue(value, out var id) ? id : -1;
}

/// <summary>Row id → slot: ids arrive ascending (identity), so a sorted array answers by binary search; a late one goes to a dictionary.</summary>
public sealed class SlotMap
{
    private long[] _ids = [];
    private int _sorted;
    private Dictionary<long, int>? _late;
    public int Count { get; private set; }

    public int Find(long id)
    {
        var k = Array.BinarySearch(_ids, 0, _sorted, id);
        return k >= 0 ? k : _late is not null && _late.TryGetValue(id, out var s) ? s : -1;
    }

    public int Add(long id)
    {
        var s = Count++;
        if (s == _ids.Length) Array.Resize(ref _ids, Math.Max(1024, s * 2));
        _ids[s] = id;
        if (s == _sorted && (s == 0 || id > _ids[s - 1])) _sorted++;
        else (_late ??= [])[id] = s;
        return s;
    }

    public void Trim() => Array.Resize(ref _ids, Count + 1024);
}

/// <summary>One attribute name: the text's code per user slot (-1 none) and, once a value parsed as a number, the number (NaN none).</summary>
public sealed class AttributeColumn(int capacity)
{
    public int[] Text = Filled(capacity);
    public double[]? Number;

    private static int[] Filled(int n) { var a = new int[n]; a.AsSpan().Fill(-1); return a; }
}

/// <summary>
/// One app's installations and users as columns in memory, by a dense slot each, for segment counts
/// (<see cref="SegmentIndexEvaluator"/>). Strings are codes (<see cref="NoSmall"/>, <see cref="NoText"/>, -1 = NULL), times are
/// ticks (<see cref="None"/> = NULL). Filled by <see cref="LoadAsync"/> (all of the app, or the changed ids), which replaces every
/// fact of the rows it reads. Not thread-safe: <see cref="SegmentIndexes"/> serialises access.
/// </summary>
public sealed class SegmentIndex(long appId)
{
    public const long None = long.MinValue;
    public const byte NoSmall = byte.MaxValue;
    public const ushort NoText = ushort.MaxValue;

    public long AppId { get; } = appId;
    /// <summary>The last <c>segment_changes</c> id applied.</summary>
    public long Position { get; set; }
    public DateTime SyncedAt { get; set; }

    /// <summary>Platform, push state, consent.</summary>
    public readonly Codes Small = new(NoSmall);
    /// <summary>Languages, time zones, app versions.</summary>
    public readonly Codes Texts = new(NoText);
    public readonly Codes TagCodes = new(int.MaxValue), Names = new(int.MaxValue), AttributeValues = new(int.MaxValue);

    // installations by slot
    private readonly SlotMap _slots = new();
    private int _live;
    public int Slots => _slots.Count;
    public long Installations => _live;
    public int DeadSlots => Slots - _live;
    public bool[] Alive = [];
    public byte[] Platform = [], State = [], Consent = [];
    public ushort[] Version = [], Language = [], Zone = [];
    public int[] User = [];
    public long[] Created = [], LastSeen = [];
    public int[]?[] Tags = [];
    /// <summary>Open times, ascending.</summary>
    public long[]?[] Opens = [];

    // users by slot
    private readonly SlotMap _userSlots = new();
    public int UserSlots => _userSlots.Count;
    public ushort[] ULanguage = [], UZone = [];
    public byte[] UConsent = [];
    public long[] UCreated = [], ULastActive = [];
    public int[]?[] UTags = [];
    public readonly Dictionary<int, AttributeColumn> Attributes = [];
    /// <summary>Per category: per user slot -1 none, 0 opted out, 1 opted in.</summary>
    public readonly Dictionary<int, sbyte[]> Categories = [];

    private byte SmallCode(string? value) => value is null ? NoSmall : (byte)Small.Id(value);
    private ushort TextCode(string? value) => value is null ? NoText : (ushort)Texts.Id(value);

    /// <summary>Reads the app's rows (<paramref name="installations"/>/<paramref name="users"/> null: all of them) and replaces their facts; ids not found are removed.</summary>
    public async Task LoadAsync(DbConnection connection, SqlDialect dialect, IReadOnlyCollection<long>? installations, IReadOnlyCollection<long>? users, CancellationToken ct)
    {
        var all = installations is null;
        if (all || users!.Count > 0) await LoadUsersAsync(connection, dialect, users, ct);
        if (all || installations!.Count > 0) await LoadInstallationsAsync(connection, dialect, installations, ct);
        if (all) { _slots.Trim(); _userSlots.Trim(); Resize(Slots + 1024); ResizeUsers(UserSlots + 1024); }
    }

    private async Task LoadUsersAsync(DbConnection connection, SqlDialect dialect, IReadOnlyCollection<long>? ids, CancellationToken ct)
    {
        var seen = new HashSet<long>();
        var parameters = new { app = AppId, ids = ids is null ? null : dialect.Ids(ids) };
        string Filter(string column) => ids is null ? "" : " AND " + dialect.InIds(column, "@ids");
        await ReadAsync(connection, $"SELECT u.id, u.language, u.time_zone, u.consent, u.created_at, u.last_active_at FROM app_users u WHERE u.app_id = @app{Filter("u.id")} ORDER BY u.id", parameters, r =>
        {
            var id = r.GetInt64(0);
            seen.Add(id);
            var s = UserSlot(id);
            ClearUser(s);
            ULanguage[s] = TextCode(Text(r, 1)); UZone[s] = TextCode(Text(r, 2)); UConsent[s] = SmallCode(Text(r, 3));
            UCreated[s] = Ticks(r, 4); ULastActive[s] = Ticks(r, 5);
        }, ct);
        if (ids is not null)
            foreach (var id in ids.Where(i => !seen.Contains(i)))
                if (_userSlots.Find(id) is var s && s >= 0) ClearUser(s);
        await ReadAsync(connection, $"SELECT app_user_id, name, text_value, number_value FROM user_attributes WHERE app_id = @app{Filter("app_user_id")}", parameters, r =>
        {
            if (_userSlots.Find(r.GetInt64(0)) is not (var s and >= 0)) return;
            var column = Attribute(Names.Id(r.GetString(1)));
            column.Text[s] = AttributeValues.Id(r.GetString(2));
            if (!r.IsDBNull(3)) (column.Number ??= NaNs(column.Text.Length))[s] = r.GetDouble(3);
        }, ct);
        var tags = new Dictionary<int, List<int>>();
        await ReadAsync(connection, $"SELECT app_user_id, tag FROM user_tags WHERE app_id = @app{Filter("app_user_id")}", parameters, r =>
        {
            if (_userSlots.Find(r.GetInt64(0)) is not (var s and >= 0)) return;
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(tags, s, out _);
            (list ??= []).Add(TagCodes.Id(r.GetString(1)));
        }, ct);
        foreach (var (s, list) in tags) UTags[s] = [.. list];
        await ReadAsync(connection, $"SELECT c.app_user_id, c.category, c.enabled FROM user_categories c JOIN app_users u ON u.id = c.app_user_id WHERE u.app_id = @app{Filter("c.app_user_id")}", parameters, r =>
        {
            if (_userSlots.Find(r.GetInt64(0)) is not (var s and >= 0)) return;
            Category(Names.Id(r.GetString(1)))[s] = r.GetBoolean(2) ? (sbyte)1 : (sbyte)0;
        }, ct);
    }

    private async Task LoadInstallationsAsync(DbConnection connection, SqlDialect dialect, IReadOnlyCollection<long>? ids, CancellationToken ct)
    {
        var seen = new HashSet<long>();
        var parameters = new { app = AppId, ids = ids is null ? null : dialect.Ids(ids) };
        string Filter(string column) => ids is null ? "" : " AND " + dialect.InIds(column, "@ids");
        var unknownUsers = new HashSet<long>();
        await ReadAsync(connection, "SELECT id, platform, state, language, time_zone, app_version, created_at, last_seen_at, app_user_id, consent " +
                                    $"FROM installations WHERE app_id = @app{Filter("id")} ORDER BY id", parameters, r =>
        {
            var id = r.GetInt64(0);
            seen.Add(id);
            var s = Slot(id);
            Platform[s] = SmallCode(r.GetString(1)); State[s] = SmallCode(r.GetString(2)); Consent[s] = SmallCode(Text(r, 9));
            Language[s] = TextCode(Text(r, 3)); Zone[s] = TextCode(Text(r, 4)); Version[s] = TextCode(Text(r, 5));
            Created[s] = Ticks(r, 6); LastSeen[s] = Ticks(r, 7);
            User[s] = -1;
            if (!r.IsDBNull(8))
            {
                var user = r.GetInt64(8);
                var us = _userSlots.Find(user);
                if (us < 0) { unknownUsers.Add(user); us = UserSlot(user); }
                User[s] = us;
            }
            Tags[s] = null; Opens[s] = null;
        }, ct);
        if (ids is not null)
            foreach (var id in ids.Where(i => !seen.Contains(i)))
                if (_slots.Find(id) is var s && s >= 0 && Alive[s]) { (Alive[s], Tags[s], Opens[s], User[s]) = (false, null, null, -1); _live--; }
        // a user that appeared in the same instant as its installation: read it now rather than at its own change
        if (unknownUsers.Count > 0) await LoadUsersAsync(connection, dialect, unknownUsers, ct);
        var tags = new Dictionary<int, List<int>>();
        await ReadAsync(connection, $"SELECT installation_id, tag FROM installation_tags WHERE app_id = @app{Filter("installation_id")}", parameters, r =>
        {
            if (_slots.Find(r.GetInt64(0)) is not (var s and >= 0)) return;
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(tags, s, out _);
            (list ??= []).Add(TagCodes.Id(r.GetString(1)));
        }, ct);
        foreach (var (s, list) in tags) Tags[s] = [.. list];
        var opens = new Dictionary<int, List<long>>();
        await ReadAsync(connection, $"SELECT installation_id, at FROM client_events WHERE app_id = @app AND type = '{ClientEventTypes.NotificationOpened}'{Filter("installation_id")}", parameters, r =>
        {
            if (_slots.Find(r.GetInt64(0)) is not (var s and >= 0)) return;
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
    private static double[] NaNs(int n) { var a = new double[n]; a.AsSpan().Fill(double.NaN); return a; }

    private int Slot(long id)
    {
        var s = _slots.Find(id);
        if (s >= 0)
        {
            if (!Alive[s]) { Alive[s] = true; _live++; }
            return s;
        }
        s = _slots.Add(id);
        if (s >= Alive.Length) Resize(Math.Max(1024, s * 2));
        Alive[s] = true;
        _live++;
        return s;
    }

    private void Resize(int n)
    {
        Array.Resize(ref Alive, n); Array.Resize(ref Platform, n); Array.Resize(ref State, n); Array.Resize(ref Consent, n);
        Array.Resize(ref Version, n); Array.Resize(ref Language, n); Array.Resize(ref Zone, n); Array.Resize(ref User, n);
        Array.Resize(ref Created, n); Array.Resize(ref LastSeen, n); Array.Resize(ref Tags, n); Array.Resize(ref Opens, n);
    }

    private int UserSlot(long id)
    {
        var s = _userSlots.Find(id);
        if (s >= 0) return s;
        s = _userSlots.Add(id);
        if (s >= ULanguage.Length) ResizeUsers(Math.Max(1024, s * 2));
        ClearUser(s);
        return s;
    }

    private void ResizeUsers(int n)
    {
        var old = ULanguage.Length;
        Array.Resize(ref ULanguage, n); Array.Resize(ref UZone, n); Array.Resize(ref UConsent, n);
        Array.Resize(ref UCreated, n); Array.Resize(ref ULastActive, n); Array.Resize(ref UTags, n);
        foreach (var column in Attributes.Values)
        {
            Array.Resize(ref column.Text, n);
            if (n > old) column.Text.AsSpan(old).Fill(-1);
            if (column.Number is not null)
            {
                Array.Resize(ref column.Number, n);
                if (n > old) column.Number.AsSpan(old).Fill(double.NaN);
            }
        }
        foreach (var key in Categories.Keys.ToList())
        {
            var c = Categories[key];
            Array.Resize(ref c, n);
            if (n > old) c.AsSpan(old).Fill(-1);
            Categories[key] = c;
        }
    }

    /// <summary>A user with no facts: before re-reading it, and for good once deleted (its installations were re-pointed by the same delete).</summary>
    private void ClearUser(int s)
    {
        (ULanguage[s], UZone[s], UConsent[s], UCreated[s], ULastActive[s], UTags[s]) = (NoText, NoText, NoSmall, None, None, null);
        foreach (var column in Attributes.Values)
        {
            column.Text[s] = -1;
            if (column.Number is not null) column.Number[s] = double.NaN;
        }
        foreach (var c in Categories.Values) c[s] = -1;
    }

    private AttributeColumn Attribute(int name)
    {
        if (!Attributes.TryGetValue(name, out var column)) Attributes[name] = column = new AttributeColumn(ULanguage.Length);
        return column;
    }

    private sbyte[] Category(int name)
    {
        if (Categories.TryGetValue(name, out var column)) return column;
        column = new sbyte[ULanguage.Length];
        column.AsSpan().Fill(-1);
        return Categories[name] = column;
    }
}
