using System.Net.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Appliance.Protocols.Security.Management;

namespace Appliance.Cli;

/// <summary>What the CLI remembers about one paired terminal (in <c>~/.config/appliance-cli/terminals.json</c>, mode 0600).</summary>
public sealed record PairedTerminal(string Host, int AdminPort, string KeyId, string Secret, string Fingerprint);

/// <summary>
/// Talks to a terminal's admin port: over https accepting only the certificate whose SHA-256 fingerprint was
/// pinned (discovery's TXT <c>fp</c> or <c>--fingerprint</c>), or, only when the operator asked for it with
/// <c>--insecure-http</c>, over plain http. There is no silent fallback from one to the other: without a pin
/// the pairing secret would travel in cleartext to whoever answers.
/// </summary>
public sealed class TerminalClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string? _pinnedFingerprint;

    private TerminalClient(string host, int port, string? pinnedFingerprint)
    {
        _pinnedFingerprint = pinnedFingerprint;
        _base = new Uri($"{(pinnedFingerprint is null ? "http" : "https")}://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}/");
        var handler = new SocketsHttpHandler();
        if (pinnedFingerprint is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    SeenFingerprint = cert is null ? null : Convert.ToHexStringLower(SHA256.HashData(cert.GetRawCertData()));
                    return string.Equals(SeenFingerprint, pinnedFingerprint, StringComparison.OrdinalIgnoreCase);
                },
            };
        }
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>https to <paramref name="host"/>, accepting only the certificate with this SHA-256 fingerprint (hex).</summary>
    public static TerminalClient Pinned(string host, int port, string fingerprint) =>
        new(host, port, NormalizeFingerprint(fingerprint));

    /// <summary>Plain http: everything, secrets included, readable and changeable on the way. Closed test networks only.</summary>
    public static TerminalClient InsecureHttp(string host, int port) => new(host, port, null);

    /// <summary>Lowercase hex without separators; accepts <c>AB:CD:…</c> as openssl prints it.</summary>
    public static string NormalizeFingerprint(string fingerprint)
    {
        var hex = fingerprint.Replace(":", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigitLower))
            throw new CliException($"--fingerprint: expected the certificate's SHA-256 as 64 hex digits (discover prints it as fp=), found \"{fingerprint}\"");
        return hex;
    }

    /// <summary>The fingerprint every handshake is checked against; null over --insecure-http.</summary>
    public string? PinnedFingerprint => _pinnedFingerprint;

    /// <summary>The fingerprint the server presented (set after a TLS handshake).</summary>
    public string? SeenFingerprint { get; private set; }

    public async Task<JsonElement> GetAsync(string path, CancellationToken cancel)
    {
        using var response = await Send(() => _http.GetAsync(new Uri(_base, path), cancel));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel)).RootElement.Clone();
    }

    public async Task<JsonElement> PostAsync(string path, IReadOnlyDictionary<string, string> body, CancellationToken cancel)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (k, v) in body) w.WriteString(k, v);
            w.WriteEndObject();
        }
        using var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await Send(() => _http.PostAsync(new Uri(_base, path), content, cancel));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel)).RootElement.Clone();
    }

    /// <summary>
    /// The TLS handshake ends before any request byte is written, so a refused certificate means nothing
    /// (no name, no code, no signed call) reached the other side.
    /// </summary>
    private async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> send)
    {
        try { return await send(); }
        catch (HttpRequestException e) when (_pinnedFingerprint is not null && SeenFingerprint is not null
            && !string.Equals(SeenFingerprint, _pinnedFingerprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new CertificateMismatchException(_base.Authority, _pinnedFingerprint, SeenFingerprint, e);
        }
    }

    /// <summary>A management call signed as seed 004 §2.5.3 describes, with timestamp and nonce.</summary>
    public Task<JsonElement> ManageAsync(PairedTerminal terminal, string command, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancel) =>
        PostAsync("manage/" + command, RequestSignature.SignRequest(terminal.KeyId, terminal.Secret, command, parameters, DateTimeOffset.UtcNow), cancel);

    /// <summary>An operator's order route (<c>orders/list</c>, <c>orders/start</c>, <c>orders/revoke</c>), signed with the route as its command.</summary>
    public Task<JsonElement> OrderAsync(PairedTerminal terminal, string route, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancel) =>
        PostAsync(route, RequestSignature.SignRequest(terminal.KeyId, terminal.Secret, route, parameters, DateTimeOffset.UtcNow), cancel);

    public void Dispose() => _http.Dispose();
}

/// <summary>The terminal presented another certificate than the pinned one: a different device, or someone in between.</summary>
public sealed class CertificateMismatchException(string authority, string expected, string seen, Exception inner)
    : CliException($"cannot reach the terminal: certificate mismatch at {authority}: expected fingerprint {expected}, the terminal presented {seen}; nothing was sent. " +
        "If the terminal's certificate was replaced, run appliance-cli discover to read its new fp=", inner, ExitCodes.CertificateMismatch);

/// <summary>The CLI's list of paired terminals.</summary>
public sealed class CredentialStore(string path)
{
    public static string DefaultPath => Environment.GetEnvironmentVariable("APPLIANCE_CLI_CONFIG")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "appliance-cli", "terminals.json");

    public List<PairedTerminal> Load()
    {
        if (!File.Exists(path)) return [];
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateArray().Select(e => new PairedTerminal(
            e.GetProperty("host").GetString()!, e.GetProperty("adminPort").GetInt32(), e.GetProperty("keyId").GetString()!,
            e.GetProperty("secret").GetString()!, e.GetProperty("fingerprint").GetString() ?? "")).ToList();
    }

    public PairedTerminal? Find(string host) => Load().LastOrDefault(t => t.Host == host);

    public void Save(IEnumerable<PairedTerminal> terminals)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var t in terminals)
            {
                w.WriteStartObject();
                w.WriteString("host", t.Host);
                w.WriteNumber("adminPort", t.AdminPort);
                w.WriteString("keyId", t.KeyId);
                w.WriteString("secret", t.Secret);
                w.WriteString("fingerprint", t.Fingerprint);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var f = new FileStream(path, options);
        f.Write(buffer.ToArray());
    }

    public void Put(PairedTerminal terminal) => Save(Load().Where(t => t.Host != terminal.Host).Append(terminal));

    public void Remove(string host) => Save(Load().Where(t => t.Host != host));
}
