using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Appliance.Protocols.CameraService.Pictures;

/// <summary>Why a picture's URL gave no picture; each is its own coded answer (see <see cref="PagePictures"/>).</summary>
public enum FetchFailure
{
    /// <summary>The host, an address it resolves to, or a redirect's target is not one the terminal may fetch from.</summary>
    NotAllowed,
    /// <summary>An allowed server could not be reached or answered with an HTTP error.</summary>
    Unreachable,
    /// <summary>No complete answer within <see cref="PictureFetcher.Timeout"/>.</summary>
    TimedOut,
    /// <summary>More than <see cref="PictureFetcher.MaxBytes"/>.</summary>
    TooLarge,
}

/// <summary>A URL gave no picture. The message is ours and safe to show a page; the inner exception goes to the log.</summary>
public sealed class FetchException(FetchFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public FetchFailure Failure { get; } = failure;
}

/// <summary>
/// Downloads a picture a page names by URL, on the page's behalf but never as a probe of the network the terminal stands
/// in (issue 26): only hosts in the allowed set, every redirect checked against that set again, and the addresses a name
/// resolves to checked at connect time (so a DNS answer cannot turn an allowed name into loopback). Never loopback,
/// link-local, unspecified, multicast or one of the terminal's own addresses: those are where its own ports listen.
/// </summary>
public sealed class PictureFetcher : IDisposable
{
    public const int DefaultMaxBytes = 32 * 1024 * 1024;
    private const int MaxRedirects = 5;

    private readonly HttpClient _http;
    private readonly Func<IPEndPoint, bool> _forbidden;

    /// <param name="forbidden">Which endpoints may not be connected to; <see cref="IsForbidden"/> when null (tests widen it).</param>
    public PictureFetcher(TimeSpan? timeout = null, int maxBytes = DefaultMaxBytes, Func<IPEndPoint, bool>? forbidden = null)
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(15);
        MaxBytes = maxBytes;
        _forbidden = forbidden ?? (e => IsForbidden(e.Address));
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // followed by hand, each hop checked
            UseProxy = false, // a proxy would resolve names where we cannot check the address
            UseCookies = false,
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        // No HttpClient timeout of its own: the whole download (headers and body) runs under Timeout.
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>A download, headers to last byte, must finish within this; a stalled server must not hold a window up.</summary>
    public TimeSpan Timeout { get; }

    public int MaxBytes { get; }

    /// <summary>Addresses no page may make the terminal connect to.</summary>
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast) || address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.IsIPv6SiteLocal)
            return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            if (b[0] == 0 || b[0] >= 224 || (b[0] == 169 && b[1] == 254)) return true; // this-network, multicast/reserved, link-local
        }
        return OwnAddresses().Contains(address);
    }

    private static HashSet<IPAddress> OwnAddresses()
    {
        var own = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                foreach (var a in nic.GetIPProperties().UnicastAddresses)
                    own.Add(a.Address.IsIPv4MappedToIPv6 ? a.Address.MapToIPv4() : a.Address);
        }
        catch (NetworkInformationException)
        {
            // Cannot list interfaces: loopback and link-local are refused above; the LAN address stays fetchable.
        }
        return own;
    }

    /// <summary>Downloads <paramref name="url"/> when <paramref name="allowedHost"/> holds for it and for every redirect.</summary>
    /// <exception cref="FetchException">not allowed, unreachable, timed out or too large.</exception>
    public async Task<byte[]> FetchAsync(Uri url, Func<string, bool> allowedHost, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            for (var hop = 0; ; hop++)
            {
                if (url.Scheme is not ("http" or "https") || !allowedHost(HostOf(url))) throw NotAllowed();
                using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop == MaxRedirects) throw new FetchException(FetchFailure.Unreachable, $"more than {MaxRedirects} redirects");
                    url = location.IsAbsoluteUri ? location : new Uri(url, location);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                    throw new FetchException(FetchFailure.Unreachable, $"answered HTTP {(int)response.StatusCode}");
                if (response.Content.Headers.ContentLength > MaxBytes) throw TooLarge();
                // A server that sends no length (chunked) is cut off at the limit instead of trusted.
                await using var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
                using var buffer = new MemoryStream();
                var chunk = new byte[64 * 1024];
                int n;
                while ((n = await body.ReadAsync(chunk, deadline.Token).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + n > MaxBytes) throw TooLarge();
                    buffer.Write(chunk, 0, n);
                }
                return buffer.ToArray();
            }
        }
        catch (HttpRequestException e) when (e.InnerException is FetchException refused)
        {
            throw new FetchException(refused.Failure, refused.Message, e);
        }
        catch (HttpRequestException e)
        {
            throw new FetchException(FetchFailure.Unreachable, "no answer from the server", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FetchException(FetchFailure.TimedOut, $"no complete answer within {Timeout.TotalSeconds:0.#} s", e);
        }
        catch (IOException e)
        {
            throw new FetchException(FetchFailure.Unreachable, "the connection broke", e);
        }
    }

    /// <summary>Resolves the name here, so the address actually connected to is the one checked.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        // Any forbidden answer refuses the name: a name that also points inward is not a picture server.
        var endpoints = addresses.Select(a => new IPEndPoint(a, context.DnsEndPoint.Port)).ToList();
        if (endpoints.Count == 0 || endpoints.Any(_forbidden)) throw NotAllowed();
        Exception? last = null;
        foreach (var endpoint in endpoints)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }
        throw new FetchException(FetchFailure.Unreachable, "no answer from the server", last);
    }

    /// <summary>A URL's host as the allowed set holds it: lower case, IDN in ASCII, IPv6 without brackets.</summary>
    public static string HostOf(Uri url) => url.IdnHost.Trim('[', ']').ToLowerInvariant();

    private static FetchException NotAllowed() => new(FetchFailure.NotAllowed, "not an allowed picture host");

    private FetchException TooLarge() => new(FetchFailure.TooLarge, $"larger than {MaxBytes} bytes");

    public void Dispose() => _http.Dispose();
}
