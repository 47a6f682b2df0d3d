using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Appliance.TestSupport;

/// <summary>How the receiver answers one request.</summary>
/// <param name="Delay">Waited before answering (a slow receiver).</param>
public sealed record ReceiverAnswer(int Status, string Body = "", string ContentType = "text/plain", string? Location = null, TimeSpan Delay = default)
{
    /// <summary>Seed 002's "received".</summary>
    public static ReceiverAnswer One { get; } = new(200, "1");

    public static ReceiverAnswer Zero { get; } = new(200, "0");

    public static ReceiverAnswer Unavailable { get; } = new(503, "busy");

    public static ReceiverAnswer Json(string json, int status = 200) => new(status, json, "application/json");
}

/// <summary>A request as the receiver got it.</summary>
public sealed record ReceivedRequest(int Index, string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>
/// A callback receiver on loopback, as a signing platform runs one: Kestrel on 127.0.0.1 (https on a port of its own,
/// plain http on another) with a self-signed ECDSA P-256 certificate made for the test (SAN IP 127.0.0.1 and DNS
/// localhost, or only <c>certificateHost</c>). Keeps every request and answers the n-th (0-based) as
/// <see cref="Script"/> says; by default always "1".
/// </summary>
public sealed class LoopbackHttpsReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDir _files = new("appliance-receiver-");
    private readonly Lock _gate = new();
    private readonly List<ReceivedRequest> _requests = [];
    private int _arrived;

    private LoopbackHttpsReceiver(WebApplication app, X509Certificate2 certificate, Func<int, ReceiverAnswer> script)
    {
        _app = app;
        Certificate = certificate;
        Script = script;
        Pin = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        CaFile = _files.Combine("receiver.pem");
        File.WriteAllText(CaFile, certificate.ExportCertificatePem() + "\n");
    }

    /// <param name="script">The answer to the n-th request (0-based); null: always <see cref="ReceiverAnswer.One"/>.</param>
    /// <param name="certificateHost">The only name the certificate carries; null: IP 127.0.0.1 and DNS localhost.</param>
    public static async Task<LoopbackHttpsReceiver> StartAsync(Func<int, ReceiverAnswer>? script = null, string? certificateHost = null)
    {
        var certificate = CreateCertificate(certificateHost);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null; // results carry signed PDFs (tens of MB)
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var receiver = new LoopbackHttpsReceiver(app, certificate, script ?? (_ => ReceiverAnswer.One));
        app.Run(receiver.AnswerAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        receiver.Url = new Uri(addresses.Single(a => a.StartsWith("https:", StringComparison.Ordinal)) + "/callback");
        receiver.PlainUrl = new Uri(addresses.Single(a => a.StartsWith("http:", StringComparison.Ordinal)) + "/callback");
        return receiver;
    }

    /// <summary>A refusing receiver's script: <paramref name="refusal"/> for the first <paramref name="count"/> requests, then <paramref name="then"/> ("1").</summary>
    public static Func<int, ReceiverAnswer> RefusingFirst(int count, ReceiverAnswer refusal, ReceiverAnswer? then = null) =>
        n => n < count ? refusal : then ?? ReceiverAnswer.One;

    /// <summary>https://127.0.0.1:port/callback</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>http://127.0.0.1:otherport/callback: the same receiver without TLS.</summary>
    public Uri PlainUrl { get; private set; } = null!;

    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the certificate's DER, lower-case hex.</summary>
    public string Pin { get; }

    /// <summary>A PEM file of the certificate, to trust it as a CA (<c>orders:callbackCaFile</c>).</summary>
    public string CaFile { get; }

    /// <summary>The answer to the n-th request (0-based); may be changed while running.</summary>
    public Func<int, ReceiverAnswer> Script { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get { lock (_gate) return [.. _requests]; }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var index = Interlocked.Increment(ref _arrived) - 1;
        var at = DateTimeOffset.UtcNow;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(index, context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.ToArray(), at);
        lock (_gate) _requests.Add(request);

        var answer = Script(index);
        if (answer.Delay > TimeSpan.Zero) await Task.Delay(answer.Delay, context.RequestAborted);
        context.Response.StatusCode = answer.Status;
        if (answer.Location is not null) context.Response.Headers.Location = answer.Location;
        context.Response.ContentType = answer.ContentType;
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private static X509Certificate2 CreateCertificate(string? host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Loopback callback receiver, O=Appliance tests", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (host is null)
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
        }
        else
        {
            names.AddDnsName(host);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
        _files.Dispose();
    }
}
