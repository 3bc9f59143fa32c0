using System.CommandLine;
using System.Text.Json;
using PushConsole.Api;
using PushConsole.Apps;
using PushConsole.Audit;

namespace PushConsole.Cli;

/// <summary><c>apps create --name N [credentials…] [--json]</c>: prints appKey, masterSecret (once) and vapidPublicKey.</summary>
public static class AppsCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "App name, e.g. \"Event app — staging\"", Required = true };
        var fcm = new Option<FileInfo?>("--fcm-service-account") { Description = "FCM service-account JSON file" };
        var apnsKey = new Option<FileInfo?>("--apns-key") { Description = "APNs .p8 key file" };
        var apnsKeyId = new Option<string?>("--apns-key-id") { Description = "APNs key id (10 characters)" };
        var apnsTeamId = new Option<string?>("--apns-team-id") { Description = "Apple team id (10 characters)" };
        var apnsBundleId = new Option<string?>("--apns-bundle-id") { Description = "iOS bundle id (the APNs topic)" };
        var apnsEnvironment = new Option<string?>("--apns-environment") { Description = "sandbox or production" };
        apnsEnvironment.AcceptOnlyFromAmong(PlatformNames.Sandbox, PlatformNames.Production);
        var vapidSubject = new Option<string?>("--vapid-subject") { Description = "mailto: or https: contact for Web Push" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var create = new Command("create", "Create an app with its keys and provider credentials.")
        {
            name, fcm, apnsKey, apnsKeyId, apnsTeamId, apnsBundleId, apnsEnvironment, vapidSubject, json,
        };
        create.TreatUnmatchedTokensAsErrors = false;
        create.SetAction(async (parse, ct) =>
        {
            string? Read(FileInfo? file) => file is null ? null : File.Exists(file.FullName) ? File.ReadAllText(file.FullName) : throw new BadInputException(
                file == parse.GetValue(fcm) ? "fcmServiceAccount" : "apnsKey", $"File not found: {file.FullName}");
            try
            {
                var request = new NewApp(parse.GetValue(name), Read(parse.GetValue(fcm)), Read(parse.GetValue(apnsKey)),
                    parse.GetValue(apnsKeyId), parse.GetValue(apnsTeamId), parse.GetValue(apnsBundleId), parse.GetValue(apnsEnvironment),
                    parse.GetValue(vapidSubject));
                await using var host = await CliHost.StartAsync(parse.UnmatchedTokens, ct);
                var created = await host.Services.GetRequiredService<AppService>().CreateAsync(request, Actor.Cli, ct);
                if (parse.GetValue(json))
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        appId = created.App.Id, name = created.App.Name, appKey = created.App.AppKey, masterSecret = created.MasterSecret,
                        vapidPublicKey = created.App.Vapid.PublicKey, fcmProjectId = created.App.Fcm?.ProjectId, apnsKeyId = created.App.Apns?.KeyId,
                    }, JsonSerializerOptions.Web));
                else
                {
                    Console.WriteLine($"Created app \"{created.App.Name}\" (id {created.App.Id}).");
                    Console.WriteLine($"appKey:         {created.App.AppKey}");
                    Console.WriteLine($"masterSecret:   {created.MasterSecret}   (shown once; store it now)");
                    Console.WriteLine($"vapidPublicKey: {created.App.Vapid.PublicKey}");
                }
                return 0;
            }
            catch (BadInputException e)
            {
                return CliErrors.Print(e);
            }
        });
        return new Command("apps", "Apps and their credentials.") { create };
    }
}
