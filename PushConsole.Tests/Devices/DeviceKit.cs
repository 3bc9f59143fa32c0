using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Devices;

namespace PushConsole.Tests.Devices;

/// <summary>An app, a client that speaks the client API as a device would, and readers of what got stored.</summary>
public sealed class DeviceKit(AppHost host, CreatedApp app) : IDisposable
{
    public AppHost Host { get; } = host;
    public CreatedApp App { get; } = app;
    public long AppId => App.App.Id;
    public HttpClient Client { get; } = NewClient(host, app);

    public static async Task<DeviceKit> CreateAsync(AppHost host, string name = "Event app")
    {
        var created = await host.Get<AppService>().CreateAsync(new NewApp(name), Actor.System);
        return new DeviceKit(host, created);
    }

    private static HttpClient NewClient(AppHost host, CreatedApp app)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-App-Key", app.App.AppKey);
        return client;
    }

    public HttpClient ServerClient()
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{App.App.AppKey}:{App.MasterSecret}")));
        return client;
    }

    /// <summary>A realistic FCM registration token (about 160 characters), different per seed.</summary>
    public static string FcmToken(string seed) =>
        $"e{Hex(seed, 10)}:APA91b{Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes(seed))).Replace('+', '-').Replace('/', '_').TrimEnd('=')}{Hex(seed + "x", 32)}";

    /// <summary>A 32-byte APNs device token in hex (64 characters).</summary>
    public static string ApnsToken(string seed) => Hex(seed, 64);

    public static (string P256dh, string Auth) WebPushKeys()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = key.ExportParameters(false).Q;
        return (DeviceValidation.Base64UrlEncode([0x04, .. q.X!, .. q.Y!]), DeviceValidation.Base64UrlEncode(RandomNumberGenerator.GetBytes(16)));
    }

    public static object WebBody(string endpoint, string? userId = null)
    {
        var (p256dh, auth) = WebPushKeys();
        return new { platform = "web", webPush = new { endpoint, keys = new { p256dh, auth } }, userId };
    }

    private static string Hex(string seed, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).Concat(SHA256.HashData(Encoding.UTF8.GetBytes(seed + "!"))).ToArray())[..length];

    public Task<HttpResponseMessage> PutAsync(string installationId, object body) =>
        Client.PutAsJsonAsync($"api/v1/installations/{Uri.EscapeDataString(installationId)}", body);

    public Task<HttpResponseMessage> PutRawAsync(string installationId, string json) =>
        Client.PutAsync($"api/v1/installations/{Uri.EscapeDataString(installationId)}", new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonElement> RegisterAsync(string installationId, object body)
    {
        var response = await PutAsync(installationId, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<JsonElement> RegisterAndroidAsync(string installationId, string token, string? userId = null) =>
        RegisterAsync(installationId, new { platform = "android", pushToken = token, userId });

    public async Task<JsonElement> SetUserAsync(string installationId, string? userId)
    {
        var response = await Client.PutAsJsonAsync($"api/v1/installations/{installationId}/user", new { userId });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<Installation?> InstallationAsync(string installationId)
    {
        await using var db = await Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Set<Installation>().AsNoTracking().Include(i => i.AppUser).Include(i => i.Tags)
            .FirstOrDefaultAsync(i => i.ExternalId == installationId && i.AppId == AppId);
    }

    /// <summary>The installation's changelog, oldest first.</summary>
    public async Task<List<TokenChange>> ChangesAsync(string installationId)
    {
        await using var db = await Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var key = await db.Set<Installation>().Where(i => i.ExternalId == installationId && i.AppId == AppId).Select(i => i.Id).SingleAsync();
        return await db.Set<TokenChange>().AsNoTracking().Where(c => c.InstallationId == key).OrderBy(c => c.Id).ToListAsync();
    }

    public async Task<List<ChangeKind>> KindsAsync(string installationId) => (await ChangesAsync(installationId)).Select(c => c.Kind).ToList();

    public async Task<int> CountAsync<T>() where T : class
    {
        await using var db = await Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Set<T>().CountAsync();
    }

    public void Dispose() => Client.Dispose();
}
