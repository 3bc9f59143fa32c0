using PushConsole.Sending;
using PushConsole.Sending.Launch;
using Dapper;
using PushConsole.Apps;
using PushConsole.Campaigns;
using PushConsole.Data;
using PushConsole.Devices;
using PushConsole.Tests.Cli;

namespace PushConsole.Tests.Operations;

/// <summary>The backup and restore verbs as processes, against an install that is busy sending.</summary>
public sealed class BackupTests
{
    [Fact]
    public async Task Backup_taken_while_a_campaign_sends_restores_into_a_folder_where_the_app_starts_with_everything()
    {
        var restored = TempFolder.Create("pushconsole-restore");
        var backupFile = Path.Combine(TempFolder.Create("pushconsole-backups"), "nightly.zip");
        try
        {
            await using var s = await DispatchScenario.StartAsync();
            await s.RegisterAsync(android: 2_000, ios: 500, web: 100);
            var original = await s.Host.Get<AppService>().GetProviderSecretsAsync(s.App.Id);
            // throttled to 100 a second: still sending while the backup process starts and runs
            var campaign = await s.SendAsync(name: "Sending during the backup", throttlePerMinute: 6_000);
            await s.Host.Get<CampaignLauncher>().WhenIdleAsync();
            var until = DateTime.UtcNow.AddMinutes(1);
            while (s.Sandbox.State.Providers.Sum(p => p.Accepted) < 100 && DateTime.UtcNow < until) await Task.Delay(10);

            var (code, output, error) = await PushConsoleProcess.RunAsync(s.Host.DataDirectory, "backup", "--to", backupFile);
            Assert.True(code == 0, error);
            Assert.Contains("Backed up the database", output);
            // it really ran while the campaign was going out
            Assert.Equal(CampaignStatus.Sending, (await s.Host.Get<CampaignService>().GetAsync(campaign.Id)).Status);

            (code, output, error) = await PushConsoleProcess.RunAsync(restored, "restore", "--from", backupFile);
            Assert.True(code == 0, error);
            Assert.Contains("Restored the database", output);
            (code, _, error) = await PushConsoleProcess.RunAsync(restored, "restore", "--from", backupFile);
            Assert.Equal(2, code);
            Assert.Contains("already holds", error);

            await using var host = await AppHost.StartAsync(o =>
            {
                o.DataDirectory = restored;
                o.Args.Add("--Dispatch:WorkerEnabled=false");
            });
            // the key ring came along: the stored credentials decrypt to what was stored
            var secrets = await host.Get<AppService>().GetProviderSecretsAsync(s.App.Id);
            Assert.Equal(original.FcmServiceAccountJson, secrets.FcmServiceAccountJson);
            Assert.Equal(original.ApnsKeyP8, secrets.ApnsKeyP8);
            Assert.Equal(original.VapidPrivateKey, secrets.VapidPrivateKey);
            Assert.Equal(2_600, (await host.Get<CampaignService>().GetAsync(campaign.Id)).AudienceSize);
            await using var connection = await host.Get<Database>().OpenAsync();
            Assert.Equal(2_600, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM installations"));
            Assert.Equal(2_600, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM deliveries WHERE campaign_id = @id", new { id = campaign.Id }));
            Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TempFolder.Delete(restored);
            TempFolder.Delete(Path.GetDirectoryName(backupFile)!);
        }
    }

    [Fact]
    public async Task Restore_refuses_a_file_that_is_not_a_backup_backup_a_folder_and_db_copy_a_missing_install()
    {
        var data = TempFolder.Create("pushconsole-restore-bad");
        try
        {
            var junk = Path.Combine(data, "junk.zip");
            await File.WriteAllTextAsync(junk, "not a zip");
            var (code, _, error) = await PushConsoleProcess.RunAsync(Path.Combine(data, "target"), "restore", "--from", junk);
            Assert.Equal(2, code);
            Assert.Contains("from: ", error);
            (code, _, error) = await PushConsoleProcess.RunAsync(data, "backup", "--to", data);
            Assert.Equal(2, code);
            Assert.Contains("to: ", error);
            // nothing to copy: refused before any connection, and no empty database is left behind
            var empty = Path.Combine(data, "empty");
            (code, _, error) = await PushConsoleProcess.RunAsync(empty, "db", "copy", "--to", "Host=127.0.0.1;Port=1;Database=nowhere");
            Assert.Equal(2, code);
            Assert.Contains("Data:Directory: There is no database", error);
            Assert.False(File.Exists(Path.Combine(empty, "pushconsole.db")));
        }
        finally { TempFolder.Delete(data); }
    }
}
