using System.Net;

namespace Appliance.Protocols.Security;

/// <summary>
/// Host header check against DNS rebinding: a page on evil.example whose name later resolves to the terminal
/// still sends <c>Host: evil.example</c>. Allowed: IP literals, localhost, the terminal's own mDNS names and
/// configured names.
/// </summary>
public sealed class HostHeaderPolicy(AccessOptions options)
{
    private volatile string[] _ownNames = [];

    /// <summary>The terminal's current mDNS host names (e.g. <c>signterm-1234.local</c>); discovery updates it on rename.</summary>
    public void SetOwnNames(IEnumerable<string> names) => _ownNames = names.Select(n => n.TrimEnd('.')).ToArray();

    public bool IsAllowed(string? hostHeader)
    {
        // HTTP/1.0 clients may send none; with no name there is nothing to rebind.
        if (string.IsNullOrEmpty(hostHeader)) return true;
        var host = HostOf(hostHeader);
        if (host is null) return false;
        if (IPAddress.TryParse(host, out _)) return true;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return _ownNames.Any(n => n.Equals(host, StringComparison.OrdinalIgnoreCase))
            || options.AllowedHostNames.Any(n => n.TrimEnd('.').Equals(host, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The host part of <c>host[:port]</c> or <c>[v6]:port</c>, without a trailing dot.</summary>
    public static string? HostOf(string hostAndPort)
    {
        var s = hostAndPort.Trim();
        if (s.StartsWith('['))
        {
            var end = s.IndexOf(']', StringComparison.Ordinal);
            return end < 0 ? null : s[1..end];
        }
        var colon = s.LastIndexOf(':');
        if (colon >= 0 && s.IndexOf(':', StringComparison.Ordinal) == colon) s = s[..colon];
        return s.TrimEnd('.');
    }
}
