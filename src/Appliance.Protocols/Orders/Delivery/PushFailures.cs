using System.Net.Http;
using System.Net.Sockets;

namespace Appliance.Protocols.Orders.Delivery;

/// <summary>
/// A failed push in the operator's words. The runtime's own texts are resource keys on the terminal
/// (UseSystemResourceKeys), so the detail is built from the error kinds, never from exception messages.
/// </summary>
internal static class PushFailures
{
    /// <param name="certificateRefusal">Why the receiver's certificate was refused, when that is what failed.</param>
    public static string Describe(HttpRequestException failure, string? certificateRefusal) => failure.HttpRequestError switch
    {
        HttpRequestError.SecureConnectionError => certificateRefusal ?? "TLS handshake failed",
        HttpRequestError.NameResolutionError => "host name not found",
        HttpRequestError.ConnectionError when Has<TimeoutException>(failure) => "connection timed out",
        HttpRequestError.ConnectionError => Describe(SocketErrorOf(failure)),
        HttpRequestError.ResponseEnded => "the receiver closed the connection without an answer",
        HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError => "the receiver's answer is not valid HTTP",
        HttpRequestError.ProxyTunnelError => "the proxy refused the connection",
        _ when SocketErrorOf(failure) is { } socket => Describe(socket),
        _ when certificateRefusal is not null => certificateRefusal,
        _ => $"the push failed ({failure.HttpRequestError})",
    };

    /// <summary>The connection broke while the body or the answer was on its way.</summary>
    public static string Broken(IOException failure) =>
        SocketErrorOf(failure) is { } socket ? Describe(socket) : "the connection broke";

    private static string Describe(SocketError? error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "the receiver reset the connection",
        SocketError.HostUnreachable or SocketError.HostDown => "host unreachable",
        SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
        SocketError.TimedOut => "connection timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host name not found",
        null => "could not connect",
        _ => $"could not connect ({error})",
    };

    private static bool Has<T>(Exception failure) where T : Exception
    {
        for (var e = failure.InnerException; e is not null; e = e.InnerException)
            if (e is T) return true;
        return false;
    }

    private static SocketError? SocketErrorOf(Exception failure)
    {
        for (var e = failure.InnerException; e is not null; e = e.InnerException)
            if (e is SocketException socket) return socket.SocketErrorCode;
        return null;
    }
}
