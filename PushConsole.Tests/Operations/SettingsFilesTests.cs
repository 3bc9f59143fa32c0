using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using PushConsole.Tests.Infrastructure;

namespace PushConsole.Tests.Operations;

/// <summary>The app reads its settings files once: watching them would watch every folder under the working directory (systemd's is /).</summary>
public sealed class SettingsFilesTests
{
    [Fact]
    public async Task The_app_reads_its_settings_files_without_watching_them()
    {
        var files = await SettingsFilesAsync();

        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched for changes"));
    }

    [Fact]
    public async Task An_operator_can_still_ask_for_the_files_to_be_watched()
    {
        var files = await SettingsFilesAsync("--hostBuilder:reloadConfigOnChange=true");

        Assert.Contains(files, f => f.Source.ReloadOnChange);
    }

    /// <summary>The JSON settings files of the app built with these arguments, in a data folder of its own.</summary>
    private static async Task<List<JsonConfigurationProvider>> SettingsFilesAsync(params string[] args)
    {
        var data = TempFolder.Create("pushconsole-settings");
        try
        {
            await using var app = Program.BuildWebApp([$"--Data:Directory={data}", .. args]);
            return [.. ((IConfigurationRoot)app.Configuration).Providers.OfType<JsonConfigurationProvider>()];
        }
        finally { TempFolder.Delete(data); }
    }
}
