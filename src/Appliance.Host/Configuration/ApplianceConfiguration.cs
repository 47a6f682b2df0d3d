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
        try
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: explicitFile is null, reloadOnChange: false);
        }
        catch (InvalidDataException e)
        {
            // The file is read as it is added; a syntax error stops start-up like any other bad value.
            var json = e.InnerException?.InnerException as System.Text.Json.JsonException ?? e.InnerException as System.Text.Json.JsonException;
            var where = json?.LineNumber is { } line ? $" at line {line + 1}, byte {json.BytePositionInLine + 1}" : "";
            throw new ConfigurationException($"config file {Path.GetFullPath(file)}: not valid JSON{where}");
        }
    }

    public static ApplianceOptions Read(IConfiguration configuration)
    {
        var options = new ApplianceOptions();
        Bind(() => configuration.Bind(options));
        Validate(options);
        return options;
    }

    /// <summary>
    /// Runs one configuration binder call (one per type: the AOT binder generator cannot follow a generic helper) and
    /// turns its "cannot convert" failure into the key and what was expected.
    /// </summary>
    public static void Bind(Action bind)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException e)
        {
            throw ConfigurationException.FromBinder(e);
        }
    }

    /// <summary>
    /// Names the config file in the message when the offending value came from it (a command-line or environment
    /// value needs no file name): <c>config file /etc/appliance/appliance.json: pairing:lockoutSeconds: expected …</c>.
    /// </summary>
    public static ConfigurationException Locate(IConfiguration configuration, ConfigurationException e)
    {
        if (e.Key is null || e.File is not null || configuration is not IConfigurationRoot root) return e;
        var provider = root.Providers.Reverse().FirstOrDefault(p => p.TryGet(e.Key, out _));
        if (provider is not Microsoft.Extensions.Configuration.FileConfigurationProvider file) return e;
        var path = file.Source.FileProvider?.GetFileInfo(file.Source.Path ?? "").PhysicalPath ?? file.Source.Path;
        return path is null ? e : new ConfigurationException(e.Key, e.Problem!, path);
    }

    private static void Validate(ApplianceOptions o)
    {
        foreach (var (key, port) in new[] { ("ports:uos", o.Ports.Uos), ("ports:cameraService", o.Ports.CameraService), ("ports:admin", o.Ports.Admin) })
            if (port is < 1 or > 65535) throw new ConfigurationException(key, $"expected a TCP port 1..65535, found {port}");
        var ports = new[] { o.Ports.Uos, o.Ports.CameraService, o.Ports.Admin };
        if (ports.Distinct().Count() != ports.Length)
            throw new ConfigurationException("ports", $"the UOS, CameraService and admin ports must differ, found {o.Ports.Uos}, {o.Ports.CameraService}, {o.Ports.Admin}");
        if (string.IsNullOrWhiteSpace(o.StateDir)) throw new ConfigurationException("stateDir", "expected a folder path");
        if (o.Bind != "*" && !System.Net.IPAddress.TryParse(o.Bind, out _))
            throw new ConfigurationException("bind", $"expected * or an IP address, found \"{o.Bind}\"");
        if (o.TextScale is < 1 or > 2)
            throw new ConfigurationException("textScale", $"expected 1..2, found {o.TextScale}");
        if (o.ShutdownTimeoutSeconds is < 1 or > 600)
            throw new ConfigurationException("shutdownTimeoutSeconds", $"expected 1..600, found {o.ShutdownTimeoutSeconds}");
        if (o.LogFormat is not ("auto" or "simple" or "systemd" or "json"))
            throw new ConfigurationException("logFormat", $"expected auto, simple, systemd or json, found \"{o.LogFormat}\"");
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

/// <summary>
/// Configuration that cannot be used; start-up stops with this message (exit status 2). Most name a key:
/// <c>KEY: expected …, found …</c>, prefixed with <c>config file PATH: </c> when the value came from the file.
/// </summary>
public sealed partial class ConfigurationException : Exception
{
    public ConfigurationException(string message) : base(message) { }

    public ConfigurationException(string key, string problem, string? file = null)
        : base(file is null ? $"{key}: {problem}" : $"config file {file}: {key}: {problem}")
    {
        Key = key;
        Problem = problem;
        File = file;
    }

    /// <summary>The configuration key (<c>section:name</c>), when one value is to blame.</summary>
    public string? Key { get; }
    public string? Problem { get; }
    /// <summary>The config file the value came from, once <see cref="ApplianceConfiguration.Locate"/> found it.</summary>
    public string? File { get; }

    /// <summary>From an options class's <c>Validate()</c>, which returns its first problem as <c>"section:key: expected …"</c>.</summary>
    public static ConfigurationException FromProblem(string text)
    {
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !text.AsSpan(0, colon).ContainsAny(' ', '"') ? new(text[..colon], text[(colon + 2)..]) : new(text);
    }

    /// <summary>
    /// The binder's "Failed to convert configuration value 'abc' at 'Ports:Uos' to type 'System.Int32'." as
    /// <c>ports:uos: expected a whole number, found "abc"</c>.
    /// </summary>
    public static ConfigurationException FromBinder(InvalidOperationException e)
    {
        var m = BinderMessage().Match(e.Message);
        if (!m.Success) return new ConfigurationException(e.Message);
        var key = string.Join(':', m.Groups["path"].Value.Split(':').Select(p => p.Length == 0 ? p : char.ToLowerInvariant(p[0]) + p[1..]));
        var expected = m.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt16" or "System.UInt32" or "System.Byte" => "a whole number",
            "System.Single" or "System.Double" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            var other => "a value of type " + other,
        };
        return new ConfigurationException(key, $"expected {expected}, found \"{m.Groups["value"].Value}\"");
    }

    [System.Text.RegularExpressions.GeneratedRegex("value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex BinderMessage();
}
