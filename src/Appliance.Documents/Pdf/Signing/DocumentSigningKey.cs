using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Appliance.Documents.Pdf.Signing;

/// <summary>
/// The device's document-signing key and its chain [signing certificate, device CA]. <see cref="LoadOrCreate"/> keeps
/// them as PEM in a directory, one pair of files per algorithm (the key PKCS#8, mode 0600), and reuses them; the CA's
/// own key signs the signing certificate once and is not kept.
/// </summary>
public sealed class DocumentSigningKey
{
    private static readonly SecureRandom Random = new();
    /// <summary>The PDF signer and the data signer may ask for the same key at once: one of them makes it, the other reads it.</summary>
    private static readonly Lock CreateGate = new();

    private DocumentSigningKey(DocumentSigningAlgorithm algorithm, AsymmetricKeyParameter privateKey, IReadOnlyList<X509Certificate> chain)
    {
        Algorithm = algorithm;
        PrivateKey = privateKey;
        Chain = chain;
    }

    public DocumentSigningAlgorithm Algorithm { get; }

    /// <summary>[signing certificate, device CA].</summary>
    public IReadOnlyList<X509Certificate> Chain { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    public static string KeyFileName(DocumentSigningAlgorithm algorithm) => $"document-signing-{algorithm.ToString().ToLowerInvariant()}.key.pem";
    public static string ChainFileName(DocumentSigningAlgorithm algorithm) => $"document-signing-{algorithm.ToString().ToLowerInvariant()}.chain.pem";

    public static DocumentSigningKey LoadOrCreate(string directory, DocumentSigningAlgorithm algorithm, string commonName, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        ArgumentNullException.ThrowIfNull(time);
        lock (CreateGate) return LoadOrCreateLocked(directory, algorithm, commonName, time);
    }

    private static DocumentSigningKey LoadOrCreateLocked(string directory, DocumentSigningAlgorithm algorithm, string commonName, TimeProvider time)
    {
        Directory.CreateDirectory(directory);
        var keyPath = Path.Combine(directory, KeyFileName(algorithm));
        var chainPath = Path.Combine(directory, ChainFileName(algorithm));
        if (File.Exists(keyPath) && File.Exists(chainPath)) return Load(algorithm, keyPath, chainPath);

        var created = Create(algorithm, commonName, time.GetUtcNow());
        var chainPem = new StringBuilder();
        foreach (var certificate in created.Chain) chainPem.Append(PemEncoding.Write("CERTIFICATE", certificate.GetEncoded())).Append('\n');
        var keyPem = new string(PemEncoding.Write("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(created.PrivateKey).GetEncoded())) + "\n";
        // The chain first: a key file is only ever present beside its certificates.
        WriteAtomically(chainPath, chainPem.ToString(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        WriteAtomically(keyPath, keyPem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return created;
    }

    private static DocumentSigningKey Load(DocumentSigningAlgorithm algorithm, string keyPath, string chainPath)
    {
        var keyText = File.ReadAllText(keyPath);
        var fields = PemEncoding.Find(keyText);
        if (keyText[fields.Label] != "PRIVATE KEY") throw new InvalidDataException($"{keyPath} holds no PKCS#8 PRIVATE KEY");
        var privateKey = PrivateKeyFactory.CreateKey(Convert.FromBase64String(keyText[fields.Base64Data]));

        var chainText = File.ReadAllText(chainPath);
        var chain = new List<X509Certificate>();
        var rest = chainText.AsSpan();
        while (PemEncoding.TryFind(rest, out var found))
        {
            if (rest[found.Label].SequenceEqual("CERTIFICATE")) chain.Add(new X509Certificate(Convert.FromBase64String(rest[found.Base64Data].ToString())));
            rest = rest[found.Location.End..];
        }
        if (chain.Count != 2) throw new InvalidDataException($"{chainPath} holds {chain.Count} certificates, not [signing certificate, device CA]");
        return new DocumentSigningKey(algorithm, privateKey, chain);
    }

    private static DocumentSigningKey Create(DocumentSigningAlgorithm algorithm, string commonName, DateTimeOffset now)
    {
        var caKeys = SignatureSuite.GenerateKeyPair(algorithm);
        var signingKeys = SignatureSuite.GenerateKeyPair(algorithm);
        var caName = new X509Name($"CN={Escape(commonName)} Device CA,O=Appliance");
        var signingName = new X509Name($"CN={Escape(commonName)},O=Appliance");
        // Valid from a day back so a clock that is slightly behind still accepts them.
        var notBefore = now.UtcDateTime.AddDays(-1);

        var ca = new X509V3CertificateGenerator();
        ca.SetSerialNumber(RandomSerial());
        ca.SetIssuerDN(caName);
        ca.SetSubjectDN(caName);
        ca.SetNotBefore(notBefore);
        ca.SetNotAfter(notBefore.AddYears(30));
        ca.SetPublicKey(caKeys.Public);
        ca.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(0));
        ca.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        ca.AddExtension(X509Extensions.SubjectKeyIdentifier, false, new SubjectKeyIdentifier(KeyIdentifier(caKeys.Public)));
        var caCertificate = ca.Generate(SignatureSuite.CertificateSignatureFactory(algorithm, caKeys.Private));

        var signing = new X509V3CertificateGenerator();
        signing.SetSerialNumber(RandomSerial());
        signing.SetIssuerDN(caName);
        signing.SetSubjectDN(signingName);
        signing.SetNotBefore(notBefore);
        signing.SetNotAfter(notBefore.AddYears(20));
        signing.SetPublicKey(signingKeys.Public);
        signing.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
        signing.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature | KeyUsage.NonRepudiation));
        signing.AddExtension(X509Extensions.SubjectKeyIdentifier, false, new SubjectKeyIdentifier(KeyIdentifier(signingKeys.Public)));
        signing.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(KeyIdentifier(caKeys.Public)));
        var signingCertificate = signing.Generate(SignatureSuite.CertificateSignatureFactory(algorithm, caKeys.Private));

        return new DocumentSigningKey(algorithm, signingKeys.Private, [signingCertificate, caCertificate]);
    }

    /// <summary>RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.</summary>
    private static byte[] KeyIdentifier(AsymmetricKeyParameter publicKey) =>
        SHA1.HashData(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).PublicKey.GetBytes());

    private static BigInteger RandomSerial()
    {
        var bytes = new byte[16];
        Random.NextBytes(bytes);
        return new BigInteger(1, bytes);
    }

    /// <summary>An X.500 attribute value as X509Name's string form wants it (RFC 4514 specials escaped).</summary>
    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' or '=') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static void WriteAtomically(string path, string text, UnixFileMode mode)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        // UnixCreateMode is masked by the umask and ignored for an existing file; the mode is set outright.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }
}
