namespace Appliance.Protocols.Security;

/// <summary>Who may use the legacy ports (config section <c>access</c>).</summary>
public sealed class AccessOptions
{
    /// <summary>Calls from the terminal's own loopback (its preview pages, an integrator's localhost) need no pairing.</summary>
    public bool AllowLoopback { get; set; } = true;

    /// <summary>Browser pages served from a loopback origin may call over loopback.</summary>
    public bool AllowLoopbackOrigins { get; set; } = true;

    /// <summary>Paired PCs may call the legacy ports; off = any address may (a closed network's choice).</summary>
    public bool RequirePairing { get; set; } = true;

    /// <summary>Browser origins allowed from paired PCs, e.g. <c>http://oa.example.com</c> (scheme://host[:port]).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Extra DNS names the terminal answers to in the Host header, besides IP literals, localhost and its mDNS name.</summary>
    public List<string> AllowedHostNames { get; set; } = [];
}
