using System.Net;

namespace Appliance.Protocols.Security;

/// <summary>Which browser origins may call (CORS and the WebSocket handshake).</summary>
public sealed class OriginPolicy(AccessOptions options)
{
    /// <param name="origin">The Origin header; null or empty for non-browser clients.</param>
    /// <param name="overLoopback">The call arrived over the terminal's own loopback.</param>
    /// <param name="hostHeader">The Host header, for same-origin pages the terminal serves itself (admin port).</param>
    public bool IsAllowed(string? origin, bool overLoopback, string? hostHeader = null)
    {
        if (string.IsNullOrEmpty(origin)) return true;
        if (options.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase))) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        if (hostHeader is not null && string.Equals(uri.Authority, hostHeader, StringComparison.OrdinalIgnoreCase)) return true;
        return overLoopback && options.AllowLoopbackOrigins && IsLoopbackHost(uri.Host);
    }

    public static bool IsLoopbackHost(string host)
    {
        var h = host.Trim('[', ']');
        if (h.Equals("localhost", StringComparison.OrdinalIgnoreCase) || h.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(h, out var ip) && IPAddress.IsLoopback(ip);
    }
}
