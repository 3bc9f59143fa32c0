using System.ComponentModel.DataAnnotations;
using PushConsole.Sending.Providers;

namespace PushConsole.Tests.Sending.Providers;

public sealed class ProvidersOptionsTests
{
    [Theory]
    [InlineData(0, 3, "Providers:Fcm:Connections")]
    [InlineData(17, 3, "Providers:Fcm:Connections")]
    [InlineData(4, 0, "Providers:Apns:Connections")]
    [InlineData(4, 17, "Providers:Apns:Connections")]
    public void A_pool_size_outside_1_to_16_is_refused_naming_the_setting(int fcm, int apns, string setting)
    {
        var options = new ProvidersOptions { Fcm = new() { Connections = fcm }, Apns = new() { Connections = apns } };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.Equal([setting], errors.SelectMany(e => e.MemberNames));
    }

    [Fact]
    public void The_defaults_are_the_measured_pool_sizes()
    {
        var options = new ProvidersOptions();

        Assert.Empty(options.Validate(new ValidationContext(options)));
        Assert.Equal((4, 3), (options.Fcm.Connections, options.Apns.Connections));
    }
}
