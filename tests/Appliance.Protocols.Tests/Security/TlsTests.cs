using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Protocols.Tests.Security;

/// <summary>https and wss on the same ports as http and ws (seed 003 §12), with the device certificate.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TlsTests
{
    [Fact]
    public async Task Https_and_wss_present_the_device_certificate_beside_plain_http_on_the_same_ports()
    {
        await using var terminal = await RunningTerminal.StartAsync();
        var certFile = Path.Combine(terminal.StateDir, "tls", "device.crt");
        using var expected = X509Certificate2.CreateFromPem(File.ReadAllText(certFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(terminal.StateDir, "tls", "device.key")));

        X509Certificate2? seen = null;
        using var https = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // The CLI's way: trust exactly the pinned fingerprint, not a CA.
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    seen = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
                    return cert is not null && cert.GetCertHashString(HashAlgorithmName.SHA256) == expected.GetCertHashString(HashAlgorithmName.SHA256);
                },
            },
        });
        var health = await https.GetStringAsync($"https://127.0.0.1:{terminal.AdminPort}/health", TestContext.Current.CancellationToken);
        Assert.Contains("\"status\"", health);
        Assert.Equal(expected.RawData, seen!.RawData);

        using var camera = await https.GetAsync($"https://127.0.0.1:{terminal.CameraPort}/param=getversion", TestContext.Current.CancellationToken);
        Assert.Equal("application/json; charset=utf-8", camera.Content.Headers.ContentType?.ToString());

        // Plain http still answers on the very same port.
        Assert.Contains("\"status\"", await terminal.Http.GetStringAsync("/health", TestContext.Current.CancellationToken));

        using var wss = new ClientWebSocket();
        wss.Options.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString(HashAlgorithmName.SHA256) == expected.GetCertHashString(HashAlgorithmName.SHA256);
        await wss.ConnectAsync(new Uri($"wss://127.0.0.1:{terminal.UosPort}/1"), TestContext.Current.CancellationToken);
        await wss.SendAsync(Encoding.UTF8.GetBytes("{\"cmdtype\":\"getSerialnum\"}"), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        var buffer = new byte[4096];
        var r = await wss.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        Assert.Equal("serialnum", JsonDocument.Parse(buffer.AsMemory(0, r.Count)).RootElement.GetProperty("response").GetString());

        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(terminal.UosUri("1"), TestContext.Current.CancellationToken);
        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task Https_only_refuses_plain_http_and_the_certificate_survives_a_restart()
    {
        using var state = new TempDir();
        string firstFingerprint;
        await using (var terminal = await RunningTerminal.StartAsync(state.Path, "--tls:mode=https"))
        {
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => terminal.Http.GetStringAsync("/health", TestContext.Current.CancellationToken));
            firstFingerprint = await FingerprintAsync(terminal.AdminPort);
        }
        await using var again = await RunningTerminal.StartAsync(state.Path, "--tls:mode=https");
        Assert.Equal(firstFingerprint, await FingerprintAsync(again.AdminPort));
    }

    [Fact]
    public async Task Http_mode_serves_no_tls()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--tls:mode=http");
        Assert.Contains("\"status\"", await terminal.Http.GetStringAsync("/health", TestContext.Current.CancellationToken));
        await Assert.ThrowsAnyAsync<Exception>(() => FingerprintAsync(terminal.AdminPort));
    }

    [Fact]
    public async Task A_certificate_issued_by_the_operators_CA_for_the_device_key_is_imported_and_served()
    {
        await using var terminal = await RunningTerminal.StartAsync(null, "--pairing:minAttemptIntervalMs=0");
        using var pc = new LanClient(terminal);
        await pc.PairAsync("Operator");

        var csrPem = (await pc.ManageAsync("csr", expect: HttpStatusCode.OK)).GetProperty("data").GetProperty("csr").GetString()!;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Operator Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        using var issued = csr.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), [1, 2, 3, 4]);

        var imported = await pc.ManageAsync("import-cert", new() { ["certificate"] = issued.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() }, HttpStatusCode.OK);
        Assert.False(imported.GetProperty("data").GetProperty("selfSigned").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(issued.RawData)), await FingerprintAsync(terminal.AdminPort));

        // A certificate for some other key is refused.
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var foreign = new CertificateRequest("CN=someone else", otherKey, HashAlgorithmName.SHA256).Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), [5]);
        var refused = await pc.ManageAsync("import-cert", new() { ["certificate"] = foreign.ExportCertificatePem() }, HttpStatusCode.BadRequest);
        Assert.Equal("89009007", refused.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_connection_reset_before_its_first_byte_is_not_an_unhandled_exception()
    {
        using var dir = new TempDir();
        var ports = FreePorts.Take(3);
        await using var terminal = ApplianceProcess.Start(ApplianceProcess.SimBoardArgs(dir.Path, ports, "--tls:mode=both"));
        await terminal.WaitForHealthAsync(ports[2], TestContext.Current.CancellationToken);

        // What a port scan or a page that gave up does: connect, then reset (RST) without sending anything.
        foreach (var port in ports)
            for (var i = 0; i < 5; i++)
            {
                using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
                await Task.Delay(20, TestContext.Current.CancellationToken);
                socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
                socket.Close();
            }

        using var http = new HttpClient();
        for (var i = 0; i < 3; i++)
            Assert.Contains("\"status\"", await http.GetStringAsync($"http://127.0.0.1:{ports[2]}/health", TestContext.Current.CancellationToken));
        Assert.DoesNotContain("Unhandled exception", terminal.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("TaskCanceledException", terminal.Output, StringComparison.Ordinal);
    }

    private static async Task<string> FingerprintAsync(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync("localhost");
        return Convert.ToHexStringLower(SHA256.HashData(ssl.RemoteCertificate!.GetRawCertData()));
    }
}
