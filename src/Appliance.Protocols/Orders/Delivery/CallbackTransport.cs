using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Core.Orders;
using Microsoft.Extensions.Logging;

namespace Appliance.Protocols.Orders.Delivery;

/// <summary>
/// Pushes an order's result to the caller's callback URL: a POST of the stored body (streamed from the outbox's file,
/// never held in memory), with the message's <c>Idempotency-Key</c> so a receiver can tell a retry from a new result.
/// https only (unless <see cref="OrderOptions.AllowHttpCallbacks"/>), the receiver's certificate checked by
/// <see cref="ReceiverTrust"/>, redirects not followed. Whatever the network, the TLS handshake or the receiver do, the
/// outcome is a <see cref="PushAnswer"/>; only the caller's cancellation throws.
/// </summary>
public sealed class CallbackTransport : IOutboxTransport, IDisposable
{
    /// <summary>How much of an answer is read: enough for any "1" or status JSON, never a receiver's whole error page.</summary>
    public const int MaxAnswerBytes = 64 * 1024;

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A push, connection to last byte of the answer, must finish within this.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Receivers' own pins kept with a client of their own; beyond, a pinned push gets a client for itself.</summary>
    private const int MaxPinnedClients = 16;

    private readonly OrderOptions _options;
    private readonly X509Certificate2Collection? _callbackCa;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, ReceiverClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    /// <exception cref="InvalidOperationException"><see cref="OrderOptions.CallbackCaFile"/> holds no readable PEM certificate.</exception>
    public CallbackTransport(OrderOptions options, ILogger<CallbackTransport> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _log = log;
        _callbackCa = options.CallbackCaFile.Length == 0 ? null : LoadCertificates(options.CallbackCaFile);
    }

    public async Task<PushAnswer> SendAsync(OutboxMessage message, Stream body, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(body);
        if (!Uri.TryCreate(message.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            return new PushAnswer(false, $"\"{message.Url}\" is not an http(s) URL");
        if (url.Scheme == Uri.UriSchemeHttp && !_options.AllowHttpCallbacks)
            return new PushAnswer(false, "refused: callbacks are https only (orders:allowHttpCallbacks is off)");

        var receiver = ClientFor(message.Pin, out var cached);
        try
        {
            return await PostAsync(receiver, url, message, body, cancel).ConfigureAwait(false);
        }
        finally
        {
            if (!cached) receiver.Dispose();
        }
    }

    private async Task<PushAnswer> PostAsync(ReceiverClient receiver, Uri url, OutboxMessage message, Stream body, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(RequestTimeout);
        _ = receiver.Trust.TakeRefusal(); // an earlier push's refusal must not explain this one
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StreamContent(body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", message.ContentType);
            request.Headers.TryAddWithoutValidation("Idempotency-Key", HeaderValue(message.IdempotencyKey));
            request.Headers.TryAddWithoutValidation("X-Appliance-Order", message.OrderId);
            using var response = await receiver.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            // Only a 2xx answer's body decides anything; an error page is not read.
            var answer = status is >= 200 and < 300 ? await ReadAnswerAsync(response.Content, deadline.Token).ConfigureAwait(false) : [];
            return CallbackAcceptance.Judge(message.Acceptance, status, answer);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return Failed(message, $"no complete answer within {RequestTimeout.TotalSeconds:0} s", null);
        }
        catch (OperationCanceledException e) when (e.InnerException is TimeoutException)
        {
            return Failed(message, $"no connection within {ConnectTimeout.TotalSeconds:0} s", e);
        }
        catch (HttpRequestException e)
        {
            cancel.ThrowIfCancellationRequested();
            return Failed(message, PushFailures.Describe(e, receiver.Trust.TakeRefusal()), e);
        }
        catch (IOException e)
        {
            cancel.ThrowIfCancellationRequested();
            return Failed(message, PushFailures.Broken(e), e);
        }
    }

    /// <summary>
    /// A key as an HTTP header value: every character outside printable ASCII (0x21..0x7E) and '%' itself as its UTF-8
    /// bytes percent-encoded (<c>合同-001:REFUSE</c> → <c>%E5%90%88%E5%90%8C-001:REFUSE</c>), so a key of any order number
    /// is sent (the client refuses non-ASCII header values) and CR / LF cannot start a header of their own. A plain ASCII
    /// key (<c>HT-2026-0001:ab12…</c>) goes unchanged. Never throws: a lone surrogate goes as U+FFFD's bytes.
    /// </summary>
    public static string HeaderValue(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.AsSpan().ContainsAnyExceptInRange('\x21', '\x7E') && !key.Contains('%', StringComparison.Ordinal)) return key;
        var bytes = System.Text.Encoding.UTF8.GetBytes(key);
        var text = new System.Text.StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= 0x21 and <= 0x7E && b != (byte)'%') text.Append((char)b);
            else text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private PushAnswer Failed(OutboxMessage message, string detail, Exception? cause)
    {
        // The outbox logs the detail with the attempt; the exception chain is for whoever debugs the network.
        if (cause is not null) _log.LogDebug(cause, "callback push #{Sequence} to {Url}: {Detail}", message.Sequence, message.Url, detail);
        return new PushAnswer(false, detail);
    }

    private static async Task<byte[]> ReadAnswerAsync(HttpContent content, CancellationToken cancel)
    {
        var stream = await content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxAnswerBytes];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancel).ConfigureAwait(false)) > 0) filled += read;
            return buffer[..filled];
        }
    }

    /// <summary>
    /// The client whose connections were checked for this message's pin. A pooled connection carries the certificate
    /// decision of the push that opened it, so pushes under different pins never share connections.
    /// </summary>
    private ReceiverClient ClientFor(string messagePin, out bool cached)
    {
        var key = messagePin.Trim();
        cached = true;
        if (_clients.TryGetValue(key, out var client)) return client;
        if (key.Length > 0 && _clients.Count >= MaxPinnedClients)
        {
            cached = false;
            return NewClient(key);
        }
        var made = NewClient(key);
        if (_clients.TryAdd(key, made)) return made;
        made.Dispose();
        return _clients[key];
    }

    private ReceiverClient NewClient(string messagePin)
    {
        var trust = new ReceiverTrust(_options.CallbackPins.Append(messagePin), _callbackCa);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // a redirect is the receiver's refusal, not an address to send the result to
            UseCookies = false,
            ConnectTimeout = ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(3), // a receiver's DNS change is noticed
            SslOptions = { RemoteCertificateValidationCallback = trust.Check },
        };
        // No HttpClient timeout of its own: the whole push, answer included, runs under RequestTimeout.
        return new ReceiverClient(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, trust);
    }

    private static X509Certificate2Collection LoadCertificates(string pemFile)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(pemFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"{OrderOptions.Section}:callbackCaFile: {pemFile} could not be read as PEM certificates ({e.GetType().Name})", e);
        }
        if (certificates.Count == 0) throw new InvalidOperationException($"{OrderOptions.Section}:callbackCaFile: {pemFile} holds no PEM certificate");
        return certificates;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
        foreach (var certificate in _callbackCa ?? []) certificate.Dispose();
    }

    private sealed record ReceiverClient(HttpClient Http, ReceiverTrust Trust) : IDisposable
    {
        public void Dispose() => Http.Dispose();
    }
}
