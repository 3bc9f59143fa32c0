using System.Text;
using Microsoft.EntityFrameworkCore;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;
using PushConsole.Data;
using PushConsole.Sandbox;

namespace PushConsole.Tests.Apps;

public sealed class AppServiceTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private AppService Apps => _host.Get<AppService>();
    private static readonly Actor Admin = new("admin@example.com");

    public async Task InitializeAsync() => _host = await AppHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Creating_an_app_issues_keys_and_a_vapid_pair_and_audits_it()
    {
        var created = await Apps.CreateAsync(new NewApp("Event app — staging"), Admin);

        Assert.StartsWith("ak_", created.App.AppKey);
        Assert.StartsWith("ms_", created.MasterSecret);
        Assert.Equal(87, created.App.Vapid.PublicKey.Length); // 65 raw bytes in base64url
        Assert.Equal(AppSecrets.Hash(created.MasterSecret), created.App.MasterSecretHash);
        var (entries, _) = await _host.Get<AuditLog>().SearchAsync("app.created", 0, 10);
        Assert.Contains(entries, e => e.Target == "Event app — staging" && e.Actor == Admin.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task An_empty_name_is_refused(string? name)
    {
        var error = await Assert.ThrowsAsync<BadInputException>(() => Apps.CreateAsync(new NewApp(name), Admin));
        Assert.Contains("name", error.Errors.Keys);
        Assert.Empty(await Apps.ListAsync());
    }

    [Fact]
    public async Task A_duplicate_name_is_refused_whatever_its_case()
    {
        await Apps.CreateAsync(new NewApp("Event App"), Admin);
        var error = await Assert.ThrowsAsync<BadInputException>(() => Apps.CreateAsync(new NewApp("event app"), Admin));
        Assert.Contains("already exists", error.First("name"));
        Assert.Single(await Apps.ListAsync());
    }

    public static TheoryData<string, string> BadServiceAccounts()
    {
        const string google = "https://oauth2.googleapis.com/token";
        string With(Action<Dictionary<string, string>> tamper) => TestKeys.NewServiceAccount(google, tamper: tamper).Json;
        var pkcs1 = System.Security.Cryptography.RSA.Create(2048).ExportRSAPrivateKeyPem();
        return new TheoryData<string, string>
        {
            { "{not json", "not valid JSON" },
            { "[1,2]", "JSON object" },
            { With(f => f.Remove("project_id")), "\"project_id\" is missing" },
            { With(f => f["type"] = "authorized_user"), "\"type\" must be \"service_account\"" },
            { With(f => f["private_key"] = pkcs1), "PKCS#8" },
            { With(f => f["private_key"] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "does not parse" },
            { With(f => f["token_uri"] = "http://example.com/token"), "token_uri" },
            { With(f => f["universe_domain"] = "example.com"), "universe_domain" },
        };
    }

    [Theory]
    [MemberData(nameof(BadServiceAccounts))]
    public async Task Invalid_service_account_json_is_refused_with_the_reason_and_nothing_is_stored(string json, string reason)
    {
        var error = await Assert.ThrowsAsync<BadInputException>(() => Apps.CreateAsync(new NewApp("With FCM", FcmServiceAccountJson: json), Admin));
        Assert.Contains(error.Errors["fcmServiceAccount"], m => m.Contains(reason, StringComparison.Ordinal));
        Assert.Empty(await Apps.ListAsync());

        var app = (await Apps.CreateAsync(new NewApp("Later"), Admin)).App;
        await Assert.ThrowsAsync<BadInputException>(() => Apps.SetFcmAsync(app.Id, json, Admin));
        Assert.Null((await Apps.GetAsync(app.Id)).Fcm);
    }

    [Fact]
    public async Task A_p8_that_is_not_a_p256_key_is_refused()
    {
        var app = (await Apps.CreateAsync(new NewApp("iOS app"), Admin)).App;
        var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384).ExportPkcs8PrivateKeyPem();
        var rsa = System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem();

        foreach (var key in new[] { p384, rsa, "not a key at all" })
        {
            var error = await Assert.ThrowsAsync<BadInputException>(() =>
                Apps.SetApnsAsync(app.Id, key, "ABC123DEFG", "TEAM123456", "com.example.event", "production", Admin));
            Assert.Contains("P-256", error.First("apnsKey"));
        }
        var fields = await Assert.ThrowsAsync<BadInputException>(() => Apps.SetApnsAsync(app.Id, TestKeys.NewP8(), "short", "", "nodots", "staging", Admin));
        Assert.Equal(["apnsBundleId", "apnsEnvironment", "apnsKeyId", "apnsTeamId"], fields.Errors.Keys.Order());
        Assert.Null((await Apps.GetAsync(app.Id)).Apns);

        await Apps.SetApnsAsync(app.Id, TestKeys.NewP8(), "ABC123DEFG", "TEAM123456", "com.example.event", "sandbox", Admin);
        var stored = (await Apps.GetAsync(app.Id)).Apns!;
        Assert.Equal(("ABC123DEFG", "TEAM123456", "com.example.event", ApnsEnvironment.Sandbox), (stored.KeyId, stored.TeamId, stored.BundleId, stored.Environment));
        Assert.Equal(16, stored.PublicKeyFingerprint.Length);
    }

    [Fact]
    public async Task A_bad_vapid_subject_is_refused()
    {
        var error = await Assert.ThrowsAsync<BadInputException>(() => Apps.CreateAsync(new NewApp("Web", VapidSubject: "http://localhost"), Admin));
        Assert.NotNull(error.First("vapidSubject"));
        var app = (await Apps.CreateAsync(new NewApp("Web", VapidSubject: "mailto:ops@example.com"), Admin)).App;
        Assert.Equal("mailto:ops@example.com", app.Vapid.Subject);
    }

    [Fact]
    public async Task Secrets_never_reach_the_database_file_or_the_logs_in_plain_text()
    {
        var account = TestKeys.NewServiceAccount("https://oauth2.googleapis.com/token");
        var p8 = TestKeys.NewP8();
        var created = await Apps.CreateAsync(new NewApp("Secretive", account.Json, p8, "ABC123DEFG", "TEAM123456", "com.example.event", "production"), Admin);
        var rotated = await Apps.RotateMasterSecretAsync(created.App.Id, Admin);
        var secrets = await Apps.GetProviderSecretsAsync(created.App.Id);
        Assert.Equal(account.Json, secrets.FcmServiceAccountJson);
        Assert.Equal(p8, secrets.ApnsKeyP8);

        // checkpoint so the WAL content lands in the main file too; scan both
        await using (var db = await _host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(FULL);");
        var bytes = string.Concat(Directory.GetFiles(_host.DataDirectory, "pushconsole.db*").Where(File.Exists).Select(f =>
        {
            // the WAL may go between listing and opening (the last connection closing checkpoints and deletes it): then its content is in the main file
            FileStream stream;
            try { stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); }
            catch (FileNotFoundException) { return ""; }
            using var _ = stream;
            using var reader = new StreamReader(stream, Encoding.Latin1);
            return reader.ReadToEnd();
        }));
        string[] plain = [created.MasterSecret, rotated, TestKeys.PemBody(account.PrivateKeyPem)[..40], TestKeys.PemBody(p8)[..40], secrets.VapidPrivateKey, "BEGIN PRIVATE KEY"];
        foreach (var secret in plain)
        {
            Assert.DoesNotContain(secret, bytes);
            Assert.DoesNotContain(secret, _host.Logs.All);
        }
        Assert.Contains(created.App.AppKey, bytes); // the scan does read the database
    }

    [Fact]
    public async Task The_check_fetches_a_real_oauth_token_from_the_token_uri()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var app = (await Apps.CreateAsync(new NewApp("FCM app", sandbox.State.CreateServiceAccountJson("event-app-prod")), Admin)).App;

        var (ok, message) = await Apps.CheckFcmAsync(app.Id, Admin);

        Assert.True(ok, message);
        Assert.Equal(1, sandbox.State.TokensIssued);
        var stored = (await Apps.GetAsync(app.Id)).Fcm!;
        Assert.True(stored.LastCheckOk);
        Assert.Equal(sandbox.State.TokenUri!.ToString(), stored.TokenUri);

        // a service account the token endpoint does not trust is refused, and the check says why
        var stranger = TestKeys.NewServiceAccount(sandbox.State.TokenUri.ToString());
        await Apps.SetFcmAsync(app.Id, stranger.Json, Admin);
        (ok, message) = await Apps.CheckFcmAsync(app.Id, Admin);
        Assert.False(ok);
        Assert.Contains("invalid_grant", message);
        Assert.False((await Apps.GetAsync(app.Id)).Fcm!.LastCheckOk);
    }
}
