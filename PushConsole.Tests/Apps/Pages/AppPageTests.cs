using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using PushConsole.Apps;
using PushConsole.Apps.Pages;
using PushConsole.Audit;
using PushConsole.Sending;

namespace PushConsole.Tests.Apps.Pages;

/// <summary>The app page's credential forms on the real app service: each refusal beside its field, nothing half-saved.</summary>
public sealed class AppPageTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private App _app = default!;

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _app = (await _host.Get<AppService>().CreateAsync(new NewApp("Summit — production"), Actor.System)).App;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private (BunitContext Ctx, IRenderedComponent<AppPage> Page) Render()
    {
        var ctx = ComponentContext.Create();
        ctx.UseHostServices(_host, "admin@example.com", typeof(AppService), typeof(TestPushService));
        ctx.AddMudProviders();
        var page = ctx.Render<AppPage>(p => p.Add(a => a.AppId, _app.Id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#apns-card")));
        return (ctx, page);
    }

    [Fact]
    public async Task APNs_fields_left_empty_are_each_named_beside_the_field_and_no_key_is_saved()
    {
        var (ctx, page) = Render();
        await using var _ = ctx;
        page.Find("#apns-key-id").Change("short");
        await page.Find("#save-apns").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("10 letters/digits Apple shows", page.ErrorBeside("apns-key-id")));
        Assert.Contains("Team ID", page.ErrorBeside("apns-team-id"));
        Assert.Contains("com.example.eventapp", page.ErrorBeside("apns-bundle-id"));
        Assert.Contains("Upload the .p8 key", page.Find("#apns-key-error").TextContent);
        Assert.Null((await _host.Get<AppService>().GetAsync(_app.Id)).Apns);
    }

    [Fact]
    public async Task A_broken_service_account_is_refused_beside_the_upload_and_a_good_one_shows_its_fingerprint()
    {
        var (ctx, page) = Render();
        await using var _ = ctx;
        // the FCM card comes first, the APNs key picker second
        var upload = page.FindComponents<InputFile>()[0];
        upload.UploadFiles(InputFileContent.CreateFromText("{\"type\":\"service_account\"}", "broken.json"));
        page.WaitForAssertion(() => Assert.Contains("\"project_id\" is missing", page.Find("#fcm-error").TextContent));
        Assert.Null((await _host.Get<AppService>().GetAsync(_app.Id)).Fcm);

        var good = TestKeys.NewServiceAccount("https://oauth2.googleapis.com/token", "summit-prod").Json;
        upload.UploadFiles(InputFileContent.CreateFromText(good, "service-account.json"));
        page.WaitForAssertion(() => Assert.Contains("summit-prod", page.Find("#fcm-fingerprint").TextContent));
        Assert.Empty(page.FindAll("#fcm-error"));
        Assert.DoesNotContain("PRIVATE KEY", page.Markup);
    }

    [Fact]
    public async Task A_wrong_VAPID_contact_is_named_beside_its_field_and_the_public_name_is_saved()
    {
        var (ctx, page) = Render();
        await using var _ = ctx;
        page.Find("#vapid-subject").Change("ops at example");
        await page.Find("#save-vapid-subject").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("mailto:ops@example.com", page.ErrorBeside("vapid-subject")));

        page.Find("#public-name").Change("Summit 2026");
        await page.Find("#save-public-name").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("", page.ErrorBeside("vapid-subject")));
        Assert.Equal("Summit 2026", (await _host.Get<AppService>().GetAsync(_app.Id)).PublicName);
        Assert.Equal("Summit 2026", await _host.Get<AppService>().FindPublicNameAsync(_app.AppKey));
    }
}
