using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Tests.Data;

public sealed class KeyRingProtectionTests : IDisposable
{
    private readonly string _folder = TempFolder.Create("pushconsole-keyring");

    public void Dispose() => TempFolder.Delete(_folder);

    [Fact]
    public async Task With_a_certificate_the_key_ring_is_encrypted_on_disk_and_a_restart_with_it_reads_the_credentials()
    {
        var pfx = WriteCertificate("key-ring.pfx", "pfx-password", withPrivateKey: true);
        var data = Path.Combine(_folder, "data");
        string[] settings = [$"--DataProtection:CertificatePath={pfx}", "--DataProtection:CertificatePassword=pfx-password"];
        var p8 = TestKeys.NewP8();
        long appId;
        await using (var host = await AppHost.StartAsync(o => { o.DataDirectory = data; o.Args.AddRange(settings); }))
        {
            appId = (await host.Get<AppService>().CreateAsync(new NewApp("Protected", ApnsKeyP8: p8, ApnsKeyId: "ABC123DEFG", ApnsTeamId: "TEAM123456",
                ApnsBundleId: "com.example.event", ApnsEnvironment: "production"), Actor.System)).App.Id;
        }

        // every key of the ring is stored encrypted: no plain master key in any file
        var keys = Directory.GetFiles(Path.Combine(data, "keys"), "*.xml");
        Assert.NotEmpty(keys);
        foreach (var xml in keys.Select(File.ReadAllText))
        {
            Assert.Contains("EncryptedData", xml);
            Assert.DoesNotContain("<masterKey", xml);
        }

        await using var again = await AppHost.StartAsync(o => { o.DataDirectory = data; o.Args.AddRange(settings); });
        Assert.Equal(p8, (await again.Get<AppService>().GetProviderSecretsAsync(appId)).ApnsKeyP8);
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_read_stops_the_start_naming_the_setting()
    {
        var missing = Path.Combine(_folder, "nowhere.pfx");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AppHost.StartAsync(o => o.Args.Add($"--DataProtection:CertificatePath={missing}")));
        Assert.Contains("DataProtection:CertificatePath", error.Message);

        var publicOnly = WriteCertificate("public.pfx", null, withPrivateKey: false);
        error = await Assert.ThrowsAsync<InvalidOperationException>(() => AppHost.StartAsync(o => o.Args.Add($"--DataProtection:CertificatePath={publicOnly}")));
        Assert.Contains("no private key", error.Message);
    }

    private string WriteCertificate(string name, string? password, bool withPrivateKey)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=PushConsole key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, name);
        if (withPrivateKey) File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        else
        {
            using var withoutKey = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
            File.WriteAllBytes(path, withoutKey.Export(X509ContentType.Pfx, password));
        }
        return path;
    }
}
