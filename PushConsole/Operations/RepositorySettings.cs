namespace PushConsole.Operations;

public static class RepositorySettings
{
    /// <summary>
    /// Host arguments that read the settings files once, at start. Watching them for changes puts an inotify watch on every
    /// folder under the working directory, which systemd sets to <c>/</c>: there, 57,000 folders made the start up to 12 s
    /// longer and the idle app 9–13 MB larger. A caller's own <c>--hostBuilder:reloadConfigOnChange=true</c> after these still wins.
    /// </summary>
    public static string[] ReadOnce(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];

    /// <summary>
    /// The repository-root appsettings.json is copied beside the binary; load it first (lowest precedence)
    /// so the app finds its settings whatever the working directory. Environment variables and
    /// command-line arguments still override it.
    /// </summary>
    public static WebApplicationBuilder AddRepositorySettings(this WebApplicationBuilder builder)
    {
        var besideBinary = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var inContentRoot = Path.Combine(builder.Environment.ContentRootPath, "appsettings.json");
        if (File.Exists(besideBinary) && !string.Equals(Path.GetFullPath(besideBinary), Path.GetFullPath(inContentRoot), StringComparison.Ordinal))
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
            {
                Path = "appsettings.json", Optional = true, ReloadOnChange = false,
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
            });
        builder.Services.AddSingleton(TimeProvider.System);
        // MudBlazor and Blazor find their packaged static files through this manifest, in every environment
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }
}
