using System.Diagnostics;
using System.Text.RegularExpressions;
using PushConsole.Sending.Providers;
using PushConsole.Sending.Providers.Fcm;
using PushConsole.Tests.Cli;

namespace PushConsole.Tests.Sandbox;

public sealed class SandboxCliTests
{
    [Fact]
    public async Task The_sandbox_verb_runs_only_the_sandbox_prints_the_settings_and_stops_on_sigterm()
    {
        var data = TempFolder.Create("pushconsole-sandbox-cli");
        using var process = Process.Start(PushConsoleProcess.StartInfo(data, "sandbox", "--urls", "http://127.0.0.1:0"))!;
        try
        {
            var printed = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                printed.Add(line);
                if (line.Contains("--Providers:TrustedCertificateSha256", StringComparison.Ordinal)) break;
            }
            var text = string.Join('\n', printed);
            var control = Regex.Match(text, @"control \(HTTP/1\.1\)\s+(\S+)").Groups[1].Value;
            var fcmUrl = Regex.Match(text, @"--Providers:Fcm:BaseUrl=(\S+)").Groups[1].Value;
            Assert.StartsWith("http://127.0.0.1:", control);
            Assert.StartsWith("http://127.0.0.1:", fcmUrl);

            using var http = new HttpClient { BaseAddress = new Uri(control + "/") };
            var account = await (await http.PostAsync("sandbox/fcm/service-accounts?projectId=cli", null)).Content.ReadAsStringAsync();
            var options = new ProvidersOptions { Fcm = new() { BaseUrl = fcmUrl } };
            using var h2 = Http2Transport.CreateClient(Http2Transport.CreateHandler(options), options, disposeHandler: true);
            var result = await FcmClient.Create(h2, account, options, TimeProvider.System).SendAsync(new PushMessage(1, PushTarget.Fcm("t"), new PushContent { Title = "hi" }));
            Assert.True(result.IsSent, result.ToString());
            Assert.Contains("\"accepted\":1", await http.GetStringAsync("sandbox/stats"));

            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Sandbox stopped.", await process.StandardOutput.ReadToEndAsync(timeout.Token));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            TempFolder.Delete(data);
        }
    }
}
