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

    /// <summary>
    /// Hosts a page may name pictures on by URL (<c>piclist</c>, <c>source_image.url</c>), besides the host of the page's
    /// own Origin: DNS names or IP literals, e.g. <c>cdn.bank.example</c>. Loopback, link-local and the terminal's own
    /// addresses are refused whatever this says.
    /// </summary>
    public List<string> ImageHosts { get; set; } = [];

    public const string Section = "access";

    /// <summary>Returns the first problem as "access:key: expected …", or null.</summary>
    public string? Validate()
    {
        for (var i = 0; i < AllowedOrigins.Count; i++)
        {
            var o = AllowedOrigins[i];
            // An origin is what a browser sends: scheme://host[:port], nothing after it (a trailing slash is forgiven).
            if (!Uri.TryCreate(o.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || o.TrimEnd('/').Length != uri.GetLeftPart(UriPartial.Authority).Length)
                return $"{Section}:allowedOrigins:{i}: expected an origin such as http://oa.example.com or https://host:8443, found \"{o}\"";
        }
        for (var i = 0; i < AllowedHostNames.Count; i++)
        {
            var n = AllowedHostNames[i].TrimEnd('.');
            if (n.Length is 0 or > 253 || Uri.CheckHostName(n) != UriHostNameType.Dns)
                return $"{Section}:allowedHostNames:{i}: expected a DNS name such as terminal.branch.example, found \"{AllowedHostNames[i]}\"";
        }
        for (var i = 0; i < ImageHosts.Count; i++)
        {
            var n = ImageHosts[i].Trim().TrimEnd('.');
            if (n.Length is 0 or > 253 || Uri.CheckHostName(n) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
                return $"{Section}:imageHosts:{i}: expected a host name or IP address such as cdn.bank.example, found \"{ImageHosts[i]}\"";
        }
        return null;
    }
}
