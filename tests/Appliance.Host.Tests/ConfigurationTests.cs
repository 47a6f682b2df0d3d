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

    /// <summary>
    /// Under systemd the working directory is "/": the host's defaults (appsettings.json with reloadOnChange, the
    /// content root in the working directory) made a watcher walk the whole file system before the first request
    /// (cold start 3.9-11.7 s from "/", 0.21 s without). The content root is the log line an operator sees.
    /// </summary>
    [Fact]
    public async Task Start_up_neither_roots_in_nor_watches_the_working_directory()
    {
        using var dir = new TempDir();
        var cwd = dir.Combine("cwd");
        Directory.CreateDirectory(Path.Combine(cwd, "a", "b"));
        var ports = FreePorts.Take(3);
        await using var process = ApplianceProcess.Start(ApplianceProcess.SimBoardArgs(dir.Combine("state"), ports), workingDirectory: cwd);
        await process.WaitForHealthAsync(ports[2], TestContext.Current.CancellationToken);
        Assert.Contains($"Content root path: {Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)}", process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(cwd, process.Output, StringComparison.Ordinal);

        await using var terminal = await RunningTerminal.StartAsync();
        var configuration = (IConfigurationRoot)terminal.Service<IConfiguration>();
        Assert.DoesNotContain(configuration.Providers, p => p is FileConfigurationProvider { Source.ReloadOnChange: true });
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

    [Fact]
    public void A_value_the_binder_cannot_convert_names_its_key_and_what_was_expected()
    {
        var e = Assert.Throws<ConfigurationException>(() => Read("--config", "none", "--ports:uos=abc"));
        Assert.Equal("ports:uos: expected a whole number, found \"abc\"", e.Message);
    }

    /// <summary>Every feature's section is checked at start-up, through the real composition root.</summary>
    [Theory]
    [InlineData("--pairing:codeLifetimeSeconds=5", "pairing:codeLifetimeSeconds: expected 10..3600, found 5")]
    [InlineData("--pairing:maxFailedAttempts=0", "pairing:maxFailedAttempts: expected 1..100, found 0")]
    [InlineData("--pairing:lockoutSeconds=0", "pairing:lockoutSeconds: expected 1..86400, found 0")]
    [InlineData("--pairing:minAttemptIntervalMs=-1", "pairing:minAttemptIntervalMs: expected 0..60000, found -1")]
    [InlineData("--pairing:lockoutSeconds=soon", "pairing:lockoutSeconds: expected a whole number, found \"soon\"")]
    [InlineData("--access:allowLoopback=maybe", "access:allowLoopback: expected true or false, found \"maybe\"")]
    [InlineData("--access:allowedOrigins:0=oa.example.com", "access:allowedOrigins:0: expected an origin")]
    [InlineData("--access:allowedOrigins:0=http://oa.example.com/page", "access:allowedOrigins:0: expected an origin")]
    [InlineData("--access:allowedHostNames:0=http://x", "access:allowedHostNames:0: expected a DNS name")]
    [InlineData("--tls:mode=sometimes", "tls:mode: expected http, both or https, found \"sometimes\"")]
    [InlineData("--discovery:hostName=my terminal", "discovery:hostName: expected a host label")]
    [InlineData("--journal:maxEntries=0", "journal:maxEntries: expected at least 1, found 0")]
    public void Bad_values_of_every_section_stop_start_up_naming_their_key(string argument, string message)
    {
        using var state = new TempDir();
        var e = Assert.Throws<ConfigurationException>(() => ApplianceHost.Build(["--config", "none", "--state-dir", state.Path, "--bind", "127.0.0.1", argument]));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void A_bad_value_from_the_config_file_names_the_file_and_one_from_the_command_line_does_not()
    {
        using var dir = new TempDir();
        var file = dir.Combine("appliance.json");
        File.WriteAllText(file, """{ "stateDir": "STATE", "bind": "127.0.0.1", "pairing": { "lockoutSeconds": 0 }, "ports": { "admin": 70000 } }""".Replace("STATE", dir.Combine("state"), StringComparison.Ordinal));

        var fromFile = Assert.Throws<ConfigurationException>(() => ApplianceHost.Build(["--config", file, "--ports:admin=38090"]));
        Assert.Equal($"config file {file}: pairing:lockoutSeconds: expected 1..86400, found 0", fromFile.Message);
        var ports = Assert.Throws<ConfigurationException>(() => ApplianceHost.Build(["--config", file]));
        Assert.Equal($"config file {file}: ports:admin: expected a TCP port 1..65535, found 70000", ports.Message);
        // The command line wins over the file, and then it is the command line's value that is wrong.
        var fromArgs = Assert.Throws<ConfigurationException>(() => ApplianceHost.Build(["--config", file, "--ports:admin=38090", "--pairing:lockoutSeconds=-5"]));
        Assert.Equal("pairing:lockoutSeconds: expected 1..86400, found -5", fromArgs.Message);
    }

    [Theory]
    [InlineData("""{ "pairing": { "codeLifetimeSeconds": 1 } }""", "pairing:codeLifetimeSeconds: expected 10..3600, found 1")]
    [InlineData("""{ "access": { "requirePairing": "yes" } }""", "access:requirePairing: expected true or false, found \"yes\"")]
    [InlineData("""{ "pairing": """, "not valid JSON at line 1")]
    public async Task The_program_exits_2_naming_the_config_file_and_the_key(string json, string problem)
    {
        using var dir = new TempDir();
        var file = dir.Combine("appliance.json");
        File.WriteAllText(file, json);
        await using var process = ApplianceProcess.Start(["--config", file, "--state-dir", dir.Combine("state"), "--bind", "127.0.0.1"]);
        Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"appliance: cannot start: config file {file}: {problem}", process.Output);
    }

    [Fact]
    public async Task The_packaged_config_file_is_valid_and_has_every_section_the_readme_lists()
    {
        var packaged = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../rootfs-overlay/etc/appliance/appliance.json"));
        Assert.Equal("rk3568-sign10", Read("--config", packaged).Board);
        // Every section passes the composition root's checks (on the sim board, in a scratch state dir).
        using var state = new TempDir();
        var ports = FreePorts.Take(3);
        await using (var app = ApplianceHost.Build(["--config", packaged, "--board", "sim", "--state-dir", state.Path, "--bind", "127.0.0.1",
            "--uos-port", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--camera-port", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--admin-port", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            Assert.NotNull(app.Services);
        var root = System.Text.Json.JsonDocument.Parse(File.ReadAllText(packaged), new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip }).RootElement;
        foreach (var section in new[] { "ports", "access", "pairing", "tls", "discovery", "session", "journal", "uos", "logging" })
            Assert.True(root.TryGetProperty(section, out _), $"appliance.json has no \"{section}\" section");
    }
}
