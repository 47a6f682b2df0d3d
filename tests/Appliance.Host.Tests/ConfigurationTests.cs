using Appliance.Host.Configuration;
using Appliance.TestSupport;
using Microsoft.Extensions.Configuration;

namespace Appliance.Host.Tests;

public sealed class ConfigurationTests
{
    private static ApplianceOptions Read(params string[] args)
    {
        var builder = new ConfigurationBuilder();
        ApplianceConfiguration.AddSources(builder, args);
        return ApplianceConfiguration.Read(builder.Build());
    }

    [Fact]
    public void Defaults_are_the_production_ports_and_the_sim_board()
    {
        var o = Read("--config", "none");
        Assert.Equal(("sim", 12349, 38088, 38090), (o.Board, o.Ports.Uos, o.Ports.CameraService, o.Ports.Admin));
        Assert.Equal("/var/lib/appliance", o.StateDir);
    }

    [Fact]
    public void The_config_file_is_read_and_the_command_line_overrides_any_key()
    {
        using var dir = new TempDir();
        var file = dir.Combine("appliance.json");
        File.WriteAllText(file, """{ "board": "rk3568-sign10", "stateDir": "/srv/x", "ports": { "uos": 1111, "admin": 2222 } }""");

        var o = Read("--config", file, "--uos-port", "3333", "--ports:admin=4444");

        Assert.Equal("rk3568-sign10", o.Board);
        Assert.Equal("/srv/x", o.StateDir);
        Assert.Equal(3333, o.Ports.Uos);
        Assert.Equal(4444, o.Ports.Admin);
        Assert.Equal(38088, o.Ports.CameraService);
    }

    [Fact]
    public void An_explicit_missing_config_file_stops_start_up()
    {
        var e = Assert.Throws<ConfigurationException>(() => Read("--config", "/nonexistent/appliance.json"));
        Assert.Contains("/nonexistent/appliance.json", e.Message);
    }

    [Theory]
    [InlineData("--uos-port", "0", "ports:uos")]
    [InlineData("--admin-port", "38088", "ports")]
    [InlineData("--bind", "lan", "bind")]
    [InlineData("--log-format", "xml", "logFormat")]
    public void Bad_values_name_their_key(string flag, string value, string key)
    {
        var e = Assert.Throws<ConfigurationException>(() => Read("--config", "none", flag, value));
        Assert.StartsWith(key + ":", e.Message);
    }
}
