using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Appliance.Protocols.CameraService.Pictures;

/// <summary>
/// Which page a CameraService call comes from: the PC's address and the page's <c>Origin</c> (absent for a non-browser
/// client). Pictures a page leaves on the terminal (grabbed images) live in that page's own space, so no other page
/// (another PC, another site in the same browser) can name them.
/// </summary>
public sealed record PageIdentity(string Peer, string? Origin)
{
    /// <summary>A page seen by no HTTP exchange (unit tests of a group).</summary>
    public static readonly PageIdentity Unknown = new("", null);

    public static PageIdentity From(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        return new(context.Connection.RemoteIpAddress?.ToString() ?? "", origin.Length == 0 ? null : origin);
    }

    /// <summary>The folder name of this page's space: 16 hex digits of SHA-256(peer, origin), no address on disk.</summary>
    public string Space { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Peer + "\n" + (Origin ?? "")))[..8]);

    /// <summary>The host of the page's <c>Origin</c>, lower case; null when it sent none or "null".</summary>
    public string? OriginHost => Origin is { } o && Uri.TryCreate(o, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        ? PictureFetcher.HostOf(uri) : null;
}
