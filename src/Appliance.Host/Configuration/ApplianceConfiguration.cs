using Microsoft.Extensions.Configuration;

namespace Appliance.Host.Configuration;

/// <summary>Reads and checks <see cref="ApplianceOptions"/> from the config file, environment and command line.</summary>
public static class ApplianceConfiguration
{
    public const string DefaultConfigFile = "/etc/appliance/appliance.json";

    /// <summary><c>--config none</c>: read no config file at all.</summary>
    public const string NoFile = "none";

    /// <summary>The fixed command line of the simulated terminal (ARCHITECTURE.md) mapped onto configuration keys.</summary>
    public static readonly IReadOnlyDictionary<string, string> Switches = new Dictionary<string, string>
    {
        ["--board"] = "board",
        ["--board-path"] = "boardPath",
        ["--state-dir"] = "stateDir",
        ["--bind"] = "bind",
        ["--uos-port"] = "ports:uos",
        ["--camera-port"] = "ports:cameraService",
        ["--admin-port"] = "ports:admin",
        ["--log-format"] = "logFormat",
        ["--config"] = "config",
    };

    /// <summary>Adds the config file (explicit <c>--config</c> must exist; the default may be absent), environment and command line.</summary>
    public static void AddSources(IConfigurationBuilder builder, string[] args)
    {
        var explicitFile = FindConfigArgument(args);
        if (explicitFile != NoFile)
            AddFile(builder, explicitFile);
        builder.AddEnvironmentVariables("APPLIANCE_");
        builder.AddCommandLine(args, Switches.ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    private static void AddFile(IConfigurationBuilder builder, string? explicitFile)
    {
        var file = explicitFile ?? DefaultConfigFile;
        if (explicitFile is not null && !File.Exists(explicitFile))
            throw new ConfigurationException($"config file {explicitFile} (from --config) does not exist");
        builder.AddJsonFile(Path.GetFullPath(file), optional: explicitFile is null, reloadOnChange: false);
    }

    public static ApplianceOptions Read(IConfiguration configuration)
    {
        var options = new ApplianceOptions();
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException(e.Message);
        }
        Validate(options);
        return options;
    }

    private static void Validate(ApplianceOptions o)
    {
        foreach (var (key, port) in new[] { ("ports:uos", o.Ports.Uos), ("ports:cameraService", o.Ports.CameraService), ("ports:admin", o.Ports.Admin) })
            if (port is < 1 or > 65535) throw new ConfigurationException($"{key}: expected a TCP port 1..65535, found {port}");
        var ports = new[] { o.Ports.Uos, o.Ports.CameraService, o.Ports.Admin };
        if (ports.Distinct().Count() != ports.Length)
            throw new ConfigurationException($"ports: the UOS, CameraService and admin ports must differ, found {o.Ports.Uos}, {o.Ports.CameraService}, {o.Ports.Admin}");
        if (string.IsNullOrWhiteSpace(o.StateDir)) throw new ConfigurationException("stateDir: expected a folder path");
        if (o.Bind != "*" && !System.Net.IPAddress.TryParse(o.Bind, out _))
            throw new ConfigurationException($"bind: expected * or an IP address, found \"{o.Bind}\"");
        if (o.ShutdownTimeoutSeconds is < 1 or > 600)
            throw new ConfigurationException($"shutdownTimeoutSeconds: expected 1..600, found {o.ShutdownTimeoutSeconds}");
        if (o.LogFormat is not ("auto" or "simple" or "systemd" or "json"))
            throw new ConfigurationException($"logFormat: expected auto, simple, systemd or json, found \"{o.LogFormat}\"");
    }

    private static string? FindConfigArgument(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length) return args[i + 1];
            if (args[i].StartsWith("--config=", StringComparison.Ordinal)) return args[i]["--config=".Length..];
        }
        return null;
    }
}

/// <summary>Configuration that cannot be used; start-up stops with this message.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
