namespace Appliance.Host.Configuration;

/// <summary>
/// The service's configuration: <c>/etc/appliance/appliance.json</c>, then <c>APPLIANCE_*</c> environment
/// variables, then the command line (<c>--board sim</c> or any key as <c>--ports:uos=12349</c>).
/// </summary>
public sealed class ApplianceOptions
{
    /// <summary>Board profile name (<c>board/NAME/board.json</c>) or path. <c>sim</c> is embedded.</summary>
    public string Board { get; set; } = "sim";

    /// <summary>Extra folders searched for board profiles before the defaults, separated by ':'.</summary>
    public string BoardPath { get; set; } = "";

    /// <summary>Where the terminal keeps what must survive a restart: identity, results journal, pairings, keys.</summary>
    public string StateDir { get; set; } = "/var/lib/appliance";

    /// <summary><c>*</c> for every address (the terminal serves the LAN), or one address such as <c>127.0.0.1</c>.</summary>
    public string Bind { get; set; } = "*";

    public PortOptions Ports { get; set; } = new();

    /// <summary>How long a stop may take to finish or journal the task on screen.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 10;

    /// <summary>Log format: <c>auto</c> (systemd prefixes under the journal, plain otherwise), <c>simple</c>, <c>systemd</c> or <c>json</c>.</summary>
    public string LogFormat { get; set; } = "auto";

    /// <summary>The screen's text size at start: 1 normal, up to 2 (large-text mode, issue 23; a PC may change it with <c>param=set large_text</c>).</summary>
    public double TextScale { get; set; } = 1;
}

public sealed class PortOptions
{
    public int Uos { get; set; } = 12349;
    public int CameraService { get; set; } = 38088;
    public int Admin { get; set; } = 38090;
}
