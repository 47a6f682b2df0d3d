using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Core.Storage;

namespace Appliance.Protocols.Security.Tls;

/// <summary>
/// The terminal's TLS identity: an ECDSA P-256 device key made on first boot (<c>STATE/tls/device.key</c>, 0600)
/// and its certificate (<c>STATE/tls/device.crt</c>): self-signed until the operator imports one their CA issued
/// for the same key. Kestrel asks <see cref="Current"/> on every handshake, so an import applies at once.
/// </summary>
public sealed class DeviceCertificate
{
    private readonly string _keyPath;
    private readonly string _certPath;
    private readonly ECDsa _key;
    private volatile X509Certificate2 _current;
    private volatile X509Certificate2[] _chain = [];

    private readonly string _commonName;
    private readonly string[] _dnsNames;

    public DeviceCertificate(string stateDir, string commonName, IEnumerable<string> dnsNames)
    {
        _commonName = commonName;
        _dnsNames = dnsNames.ToArray();
        var dir = Path.Combine(stateDir, "tls");
        Directory.CreateDirectory(dir);
        _keyPath = Path.Combine(dir, "device.key");
        _certPath = Path.Combine(dir, "device.crt");
        _key = LoadOrCreateKey(_keyPath);
        _current = LoadCertificate() ?? CreateSelfSigned(commonName, dnsNames);
    }

    public X509Certificate2 Current => _current;

    /// <summary>Intermediate certificates sent with the device certificate (from an import).</summary>
    public IReadOnlyList<X509Certificate2> Chain => _chain;

    /// <summary>SHA-256 of the certificate's DER, lowercase hex: what discovery's TXT carries and the CLI pins.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(_current.RawData));

    public bool IsSelfSigned => _current.SubjectName.RawData.AsSpan().SequenceEqual(_current.IssuerName.RawData);

    public event Action? Changed;

    /// <summary>A PKCS#10 request for the device key, for the operator's CA.</summary>
    public string CreateSigningRequest() => NewRequest(_commonName, _dnsNames).CreateSigningRequestPem();

    /// <summary>Installs a certificate (PEM, leaf first, then intermediates) issued for the device key.</summary>
    /// <exception cref="ArgumentException">Not PEM, expired, or for another key.</exception>
    public void Import(string pem)
    {
        var all = new X509Certificate2Collection();
        try { all.ImportFromPem(pem); }
        catch (CryptographicException e) { throw new ArgumentException("certificate: not a PEM certificate the terminal can read", e); }
        if (all.Count == 0) throw new ArgumentException("certificate: no PEM certificate found");
        var leaf = all[0];
        var publicKey = leaf.GetECDsaPublicKey();
        if (publicKey is null || !publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(_key.ExportSubjectPublicKeyInfo()))
            throw new ArgumentException("certificate: it is not issued for this terminal's device key (ask for a CSR first)");
        if (leaf.NotAfter < DateTime.UtcNow) throw new ArgumentException($"certificate: expired on {leaf.NotAfter:u}");
        File.WriteAllText(_certPath, pem.Trim() + "\n");
        _chain = all.Skip(1).ToArray();
        _current = leaf.CopyWithPrivateKey(_key);
        Changed?.Invoke();
    }

    private X509Certificate2? LoadCertificate()
    {
        if (!File.Exists(_certPath)) return null;
        try
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPem(File.ReadAllText(_certPath));
            var leaf = all[0];
            var pub = leaf.GetECDsaPublicKey();
            if (pub is null || !pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(_key.ExportSubjectPublicKeyInfo()) || leaf.NotAfter < DateTime.UtcNow)
                return null;
            _chain = all.Skip(1).ToArray();
            return leaf.CopyWithPrivateKey(_key);
        }
        catch (CryptographicException) { return null; }
    }

    private X509Certificate2 CreateSelfSigned(string commonName, IEnumerable<string> dnsNames)
    {
        var request = NewRequest(commonName, dnsNames);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var cert = request.CreateSelfSigned(now, now.AddYears(10));
        File.WriteAllText(_certPath, cert.ExportCertificatePem() + "\n");
        return X509CertificateLoader.LoadCertificate(cert.RawData).CopyWithPrivateKey(_key);
    }

    private CertificateRequest NewRequest(string commonName, IEnumerable<string> dnsNames)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), _key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var n in dnsNames.Append("localhost").Distinct(StringComparer.OrdinalIgnoreCase)) san.AddDnsName(n);
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }

    private static ECDsa LoadOrCreateKey(string path)
    {
        var key = ECDsa.Create();
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        PrivateFile.WriteAtomic(path, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"));
        return key;
    }
}
