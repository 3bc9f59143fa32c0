using System.Diagnostics;
using System.Text.Json;
using PushConsole.Apps;

namespace PushConsole.Tests.Cli;

/// <summary>The verbs run as the real executable, in their own process, against a data folder.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _data = TempFolder.Create("pushconsole-cli");

    public void Dispose() => TempFolder.Delete(_data);

    [Fact]
    public async Task Admin_create_then_apps_create_with_credentials_prints_keys_as_json()
    {
        var (code, output, error) = await PushConsoleProcess.RunAsync(_data, "admin", "create", "--email", "ops@example.com", "--password", "a long enough password");
        Assert.True(code == 0, error);
        Assert.Contains("Created admin ops@example.com", output);

        (code, _, error) = await PushConsoleProcess.RunAsync(_data, "admin", "create", "--email", "ops@example.com", "--password", "a long enough password");
        Assert.Equal(2, code);
        Assert.Contains("already exists", error);

        (code, _, error) = await PushConsoleProcess.RunAsync(_data, "admin", "create", "--email", "short@example.com", "--password", "short");
        Assert.Equal(2, code);
        Assert.Contains("password", error);

        var account = TestKeys.NewServiceAccount("https://oauth2.googleapis.com/token", "cli-project");
        var saFile = Path.Combine(_data, "sa.json");
        await File.WriteAllTextAsync(saFile, account.Json);
        var p8File = Path.Combine(_data, "AuthKey.p8");
        await File.WriteAllTextAsync(p8File, TestKeys.NewP8());
        (code, output, error) = await PushConsoleProcess.RunAsync(_data, "apps", "create", "--name", "CLI app",
            "--fcm-service-account", saFile, "--apns-key", p8File, "--apns-key-id", "ABC123DEFG", "--apns-team-id", "TEAM123456",
            "--apns-bundle-id", "com.example.cli", "--apns-environment", "sandbox", "--vapid-subject", "mailto:ops@example.com", "--json");
        Assert.True(code == 0, error);
        var created = JsonDocument.Parse(output).RootElement;
        Assert.StartsWith("ak_", created.GetProperty("appKey").GetString());
        var secret = created.GetProperty("masterSecret").GetString()!;
        Assert.Equal("cli-project", created.GetProperty("fcmProjectId").GetString());
        Assert.Equal(87, created.GetProperty("vapidPublicKey").GetString()!.Length);

        // the app is in the same database the server uses, with the secret stored only as a hash
        await using var host = await AppHost.StartAsync(o => o.DataDirectory = _data);
        var app = (await host.Get<AppService>().ListAsync()).Single();
        Assert.Equal("CLI app", app.Name);
        Assert.Equal(AppSecrets.Hash(secret), app.MasterSecretHash);
        Assert.Equal(ApnsEnvironment.Sandbox, app.Apns?.Environment);
    }

    [Fact]
    public async Task Apps_create_refuses_a_bad_p8_and_stores_nothing()
    {
        var p8File = Path.Combine(_data, "AuthKey.p8");
        await File.WriteAllTextAsync(p8File, System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem());
        var (code, _, error) = await PushConsoleProcess.RunAsync(_data, "apps", "create", "--name", "Bad", "--apns-key", p8File,
            "--apns-key-id", "ABC123DEFG", "--apns-team-id", "TEAM123456", "--apns-bundle-id", "com.example.cli");
        Assert.Equal(2, code);
        Assert.Contains("apnsKey: ", error);
        (code, _, error) = await PushConsoleProcess.RunAsync(_data, "apps", "create", "--name", "");
        Assert.Equal(2, code);
        Assert.Contains("name: ", error);

        await using var host = await AppHost.StartAsync(o => o.DataDirectory = _data);
        Assert.Empty(await host.Get<AppService>().ListAsync());
    }
}

/// <summary>Runs the built PushConsole executable (the same one `dotnet run` starts) in its own process.</summary>
public static class PushConsoleProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "PushConsole.dll");

    public static ProcessStartInfo StartInfo(string dataDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["Data__Directory"] = dataDirectory;
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    public static Task<(int Code, string Output, string Error)> RunAsync(string dataDirectory, params string[] args) =>
        RunAsync(StartInfo(dataDirectory, args));

    /// <summary>Runs <paramref name="info"/> (from <see cref="StartInfo"/>, its environment adjusted) to its end, two minutes at most.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
