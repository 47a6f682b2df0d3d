using System.IO.Pipelines;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Appliance.Protocols.Security.Tls;

/// <summary>
/// TLS on the legacy ports. In <see cref="TlsMode.Both"/>, one port serves http/ws and https/wss: the first
/// byte of a connection is peeked (0x16 = a TLS handshake record) and the connection goes through Kestrel's
/// HTTPS middleware or straight past it.
/// </summary>
public static class TlsSniffing
{
    private const byte TlsHandshakeRecord = 0x16;

    public static void Configure(ListenOptions listen, TlsMode mode, DeviceCertificate certificate)
    {
        if (mode == TlsMode.Http) return;
        // HTTP/1.1 only: the legacy pages speak it, and WebSocket upgrades stay plain RFC 6455.
        listen.Protocols = HttpProtocols.Http1;
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificateSelector = (_, _) => certificate.Current,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        };
        if (mode == TlsMode.Https)
        {
            listen.UseHttps(https);
            return;
        }
        // The middleware after HTTPS captures its successor, which is where plain connections go.
        ConnectionDelegate? plain = null;
        listen.Use(tls => async connection =>
        {
            var input = connection.Transport.Input;
            ReadResult read;
            try
            {
                read = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // Closed or reset before its first byte (a port scan, a page that gave up): nothing to answer, and
                // not Kestrel's "unhandled exception" either.
                return;
            }
            var isTls = !read.Buffer.IsEmpty && read.Buffer.FirstSpan[0] == TlsHandshakeRecord;
            // Nothing consumed or examined: the next reader sees the same bytes at once.
            input.AdvanceTo(read.Buffer.Start);
            if (read.Buffer.IsEmpty) return;
            await (isTls ? tls : plain!)(connection).ConfigureAwait(false);
        });
        listen.UseHttps(https);
        listen.Use(next => plain = next);
    }
}
