using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Protocols.Orders.Delivery;

/// <summary>
/// Whether a callback receiver's TLS certificate is one the terminal may push an order's result to: with pins, a
/// certificate whose DER has one of their SHA-256 (whatever its chain or name: the integrator vouched for that very
/// certificate); else with a configured CA, one that chains to it and names the host; else what the system trusts.
/// Keeps the reason of its last refusal, because the TLS stack only reports "rejected by the callback".
/// </summary>
internal sealed class ReceiverTrust
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly HashSet<string> _pins;
    private readonly X509Certificate2Collection? _roots;
    private string? _lastRefusal;

    /// <param name="pins">SHA-256 (hex, any case) of acceptable certificates; empty ones are ignored.</param>
    /// <param name="roots">The configured CA's certificates; null: the system's trust store.</param>
    public ReceiverTrust(IEnumerable<string> pins, X509Certificate2Collection? roots)
    {
        _pins = new HashSet<string>(pins.Select(p => p.Trim()).Where(p => p.Length > 0), StringComparer.OrdinalIgnoreCase);
        _roots = roots;
    }

    /// <summary>SHA-256 of a certificate's DER, lower-case hex: what a pin holds.</summary>
    public static string Fingerprint(X509Certificate certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>The handshake's certificate check (<see cref="RemoteCertificateValidationCallback"/>).</summary>
    public bool Check(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var refusal = Refusal(certificate, chain, errors);
        if (refusal is not null) Volatile.Write(ref _lastRefusal, refusal);
        return refusal is null;
    }

    /// <summary>Why the last certificate was refused (null: none since the last call), and forgets it.</summary>
    public string? TakeRefusal() => Interlocked.Exchange(ref _lastRefusal, null);

    private string? Refusal(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null) return "the receiver sent no certificate";
        if (_pins.Count > 0)
        {
            var fingerprint = Fingerprint(certificate);
            return _pins.Contains(fingerprint) ? null : $"certificate pin mismatch (the receiver's certificate has SHA-256 {fingerprint})";
        }
        if (_roots is not null) return CustomRootRefusal(certificate, chain, errors);
        if (errors == SslPolicyErrors.None) return null;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return "certificate is not for this host name";
        return "certificate not trusted: it does not chain to a CA the system trusts (no pin or callback CA configured)";
    }

    private string? CustomRootRefusal(X509Certificate certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // The system's verdict on the chain is moot here (the CA is ours, not the system's), on the name it is not.
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return "certificate is not for this host name";
        var owned = certificate as X509Certificate2 is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        try
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(_roots!);
            // An integrator's private CA rarely publishes revocation lists, and a push must not hang on fetching one.
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
            // The intermediates the receiver sent in its handshake.
            if (chain is not null) custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            if (custom.Build(owned ?? (X509Certificate2)certificate)) return null;
            var problems = string.Join(", ", custom.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return $"certificate does not chain to the configured callback CA ({problems})";
        }
        finally
        {
            owned?.Dispose();
        }
    }
}
