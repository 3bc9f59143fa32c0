using System.Security.Claims;
using PushConsole.Accounts;
using PushConsole.Audit;
using PushConsole.Devices;

namespace PushConsole.Tests.Devices;

public sealed class LookupServiceTests : IAsyncLifetime
{
    private AppHost _host = default!;
    private DeviceKit _kit = default!;
    private LookupService Lookup => _host.Get<LookupService>();

    public async Task InitializeAsync()
    {
        _host = await AppHost.StartAsync();
        _kit = await DeviceKit.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _kit.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_user_search_shows_their_devices_and_the_ones_that_moved_on_to_someone_else()
    {
        await _kit.RegisterAndroidAsync("shared-phone", DeviceKit.FcmToken("s"), "A");
        await _kit.RegisterAsync("ipad", new { platform = "ios", pushToken = DeviceKit.ApnsToken("ipad"), userId = "A" });
        await _kit.SetUserAsync("shared-phone", "B");

        var group = Assert.Single((await Lookup.SearchAsync("A")).Groups);
        Assert.Equal(("user id", "A"), (group.MatchedBy, group.User!.UserId));
        var ipad = group.Installations.Single(i => i.InstallationId == "ipad");
        Assert.Null(ipad.FormerlyOf);
        var phone = group.Installations.Single(i => i.InstallationId == "shared-phone");
        Assert.Equal(("A", "B"), (phone.FormerlyOf, phone.UserId));
        Assert.Equal("moved from user A to user B", phone.Changes[0].Sentence); // newest first
        Assert.Equal(ChangeKind.Registered, phone.Changes[^1].Kind);
    }

    [Fact]
    public async Task Installation_ids_and_tokens_are_found_exactly_or_by_a_prefix_of_eight_characters()
    {
        var apns = DeviceKit.ApnsToken("find-me");
        await _kit.RegisterAsync("iphone-15", new { platform = "ios", pushToken = apns, userId = "ana" });
        await _kit.RegisterAndroidAsync("pixel", DeviceKit.FcmToken("pixel"));

        Assert.Equal("installation id", Assert.Single((await Lookup.SearchAsync("iphone-15")).Groups).MatchedBy);
        var byToken = Assert.Single((await Lookup.SearchAsync(apns.ToUpperInvariant())).Groups);
        Assert.Equal(("token", "ana"), (byToken.MatchedBy, byToken.User?.UserId));
        Assert.Equal($"{apns[..6]}…{apns[^4..]}", byToken.Installations[0].MaskedToken);
        var byPrefix = Assert.Single((await Lookup.SearchAsync(DeviceKit.FcmToken("pixel")[..8])).Groups);
        Assert.Equal(("token prefix", "pixel", null), (byPrefix.MatchedBy, byPrefix.Installations[0].InstallationId, byPrefix.User));

        var tooShort = await Lookup.SearchAsync(apns[..7]);
        Assert.Empty(tooShort.Groups);
        Assert.Contains("at least 8 characters", tooShort.Message);
        Assert.Empty((await Lookup.SearchAsync("nobody")).Groups);
    }

    [Fact]
    public async Task Revealing_a_token_is_for_admin_and_support_and_is_audited()
    {
        var token = DeviceKit.FcmToken("reveal");
        await _kit.RegisterAndroidAsync("phone", token, "ana");
        var key = (await _kit.InstallationAsync("phone"))!.Id;
        static ClaimsPrincipal As(string email, string role) =>
            new(new ClaimsIdentity([new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Role, role)], "test"));

        Assert.Equal(token, await Lookup.RevealTokenAsync(As("sam@example.com", Roles.Support), key, "10.0.0.7"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Lookup.RevealTokenAsync(As("olga@example.com", Roles.Organizer), key, null));

        var (entries, _) = await _host.Get<AuditLog>().SearchAsync("token.revealed", 0, 10);
        var entry = Assert.Single(entries);
        Assert.Equal(("sam@example.com", "Event app / installation phone", "10.0.0.7"), (entry.Actor, entry.Target, entry.RemoteAddress));
        Assert.DoesNotContain(token, entry.Details);
    }

    [Fact]
    public async Task Masking_keeps_six_and_four_characters_and_the_push_services_host()
    {
        Assert.Equal("abcdef…6789", ChangeSentences.Mask("abcdef0000000000006789"));
        Assert.Equal("https://fcm.googleapis.com/…wxyz", ChangeSentences.Mask("https://fcm.googleapis.com/fcm/send/secret-part-wxyz"));
        Assert.Equal("(none)", ChangeSentences.Mask(null));
        await Task.CompletedTask;
    }
}
