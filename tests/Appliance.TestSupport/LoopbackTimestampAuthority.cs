using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Org.BouncyCastle.X509;

namespace Appliance.TestSupport;

/// <summary>
/// An RFC 3161 time-stamping authority on loopback: a bare TcpListener speaking just enough HTTP/1.1 for one POST per
/// connection, answering with BouncyCastle's TimeStampResponseGenerator under a throwaway self-signed TSA certificate.
/// </summary>
public sealed class LoopbackTimestampAuthority : IDisposable
{
    public enum Behaviour { Grant, Reject, HttpError }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly AsymmetricCipherKeyPair _keys;
    private long _serial;

    public LoopbackTimestampAuthority(Behaviour behaviour = Behaviour.Grant)
    {
        Mode = behaviour;
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, new SecureRandom()));
        _keys = generator.GenerateKeyPair();
        var name = new X509Name("CN=Loopback TSA,O=Appliance tests");
        var certificate = new X509V3CertificateGenerator();
        certificate.SetSerialNumber(BigInteger.One);
        certificate.SetIssuerDN(name);
        certificate.SetSubjectDN(name);
        certificate.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        certificate.SetNotAfter(DateTime.UtcNow.AddYears(1));
        certificate.SetPublicKey(_keys.Public);
        // RFC 3161 §2.3: a TSA certificate has the one critical extended key usage timeStamping.
        certificate.AddExtension(X509Extensions.ExtendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeID.id_kp_timeStamping));
        Certificate = certificate.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", _keys.Private));
        _listener.Start();
        _ = ServeAsync();
    }

    public Behaviour Mode { get; }
    public X509Certificate Certificate { get; }
    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/tsa");
    public int Requests { get; private set; }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = AnswerAsync(client);
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            var n = await stream.ReadAsync(buffer, _stop.Token);
            if (n == 0) return;
            received.Write(buffer, 0, n);
        }
        var headers = Encoding.ASCII.GetString(received.GetBuffer(), 0, headerEnd);
        var lengthLine = headers.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        while (received.Length < headerEnd + 4 + length)
        {
            var n = await stream.ReadAsync(buffer, _stop.Token);
            if (n == 0) return;
            received.Write(buffer, 0, n);
        }
        Requests++;
        var body = received.ToArray().AsSpan(headerEnd + 4, length).ToArray();
        var (status, answer) = Mode == Behaviour.HttpError ? ("500 Internal Server Error", Array.Empty<byte>()) : ("200 OK", Respond(new TimeStampRequest(body)));
        var head = $"HTTP/1.1 {status}\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {answer.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
        await stream.WriteAsync(answer, _stop.Token);
    }

    private byte[] Respond(TimeStampRequest request)
    {
        var tokens = new TimeStampTokenGenerator(_keys.Private, Certificate, NistObjectIdentifiers.IdSha256.Id, "1.2.3.4.1");
        tokens.SetCertificates(CollectionUtilities.CreateStore(new List<X509Certificate> { Certificate }));
        var responses = new TimeStampResponseGenerator(tokens, TspAlgorithms.Allowed);
        return Mode == Behaviour.Reject
            ? responses.GenerateFailResponse(PkiStatus.Rejection, PkiFailureInfo.BadRequest, "refused for the test").GetEncoded()
            : responses.Generate(request, BigInteger.ValueOf(Interlocked.Increment(ref _serial)), DateTime.UtcNow).GetEncoded();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
