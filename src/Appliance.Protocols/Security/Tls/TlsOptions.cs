namespace Appliance.Protocols.Security.Tls;

/// <summary>Config section <c>tls</c>: https/wss on the same ports (seed 003 §12).</summary>
public sealed class TlsOptions
{
    /// <summary><c>http</c> (plain only), <c>both</c> (plain and TLS on each port, told apart by the first byte) or <c>https</c> (TLS only).</summary>
    public string Mode { get; set; } = "both";

    /// <summary>PKCS#11 module path holding the device key; empty = a key file in the state dir.</summary>
    public string Pkcs11Module { get; set; } = "";

    public TlsMode ParsedMode => Mode.ToLowerInvariant() switch
    {
        "http" or "http-only" => TlsMode.Http,
        "both" => TlsMode.Both,
        "https" or "https-only" => TlsMode.Https,
        _ => throw new ArgumentException($"tls:mode: expected http, both or https, found \"{Mode}\""),
    };
}

public enum TlsMode
{
    Http,
    Both,
    Https,
}
