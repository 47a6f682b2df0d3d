using Appliance.Core.Orders;
using Appliance.Documents.Pdf.Signing;
using Appliance.Documents.Signing.Data;

namespace Appliance.Adapters.Orders;

/// <summary>
/// Binds <see cref="IDataSigner"/> to Documents' <see cref="DataSigner"/> with the device keys in
/// <paramref name="signingFolder"/> (the PDF signer's folder: one key per algorithm, whatever key PDFs are signed with).
/// Keys are loaded (or made: RSA takes seconds) at their first use, and all the work runs off the caller's thread.
/// </summary>
public sealed class DataSignerAdapter(string signingFolder, string terminalName, TimeProvider time) : IDataSigner
{
    private readonly Dictionary<DocumentSigningAlgorithm, DocumentSigningKey> _keys = [];
    private readonly SemaphoreSlim _loading = new(1, 1);

    public async Task<Core.Orders.DataSignature> SignAsync(byte[] data, OrderContentKind kind, string algorithm, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(data);
        var content = SignatureVerifierAdapter.DataContentOf(kind);
        DataSignatureAlgorithm parsed;
        DocumentSigningAlgorithm keyAlgorithm;
        try
        {
            parsed = DataSignatureAlgorithms.Parse(algorithm);
            keyAlgorithm = parsed.SigningKey();
        }
        catch (DataSignatureException e)
        {
            throw new OrderException(OrderFailure.BadParameter, e.Message, e);
        }
        if (data.Length > OrderLimits.MaxDataBytes)
            throw new OrderException(OrderFailure.TooLarge, $"数据超过 {OrderLimits.MaxDataBytes} 字节 / the data is larger than {OrderLimits.MaxDataBytes} bytes");
        // Refused before a key is made for it (the first RSA key takes seconds).
        if (content == DataContent.Digest && data.Length != parsed.DigestSize())
            throw new OrderException(OrderFailure.BadParameter, $"摘要长度应为 {parsed.DigestSize()} 字节，实为 {data.Length} / a {algorithm} HASH is {parsed.DigestSize()} bytes, not {data.Length}");

        var key = await KeyAsync(keyAlgorithm, cancel).ConfigureAwait(false);
        try
        {
            var signature = await Task.Run(() => DataSigner.Sign(key, data, content, parsed), cancel).ConfigureAwait(false);
            return new Core.Orders.DataSignature(signature.Value, signature.Certificate);
        }
        catch (DataSignatureException e)
        {
            throw new OrderException(OrderFailure.BadParameter, e.Message, e);
        }
    }

    private async Task<DocumentSigningKey> KeyAsync(DocumentSigningAlgorithm algorithm, CancellationToken cancel)
    {
        await _loading.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (_keys.TryGetValue(algorithm, out var loaded)) return loaded;
            // A failure is not kept: the next job tries again (a full disk may have been freed).
            var key = await Task.Run(() => DocumentSigningKey.LoadOrCreate(signingFolder, algorithm, terminalName, time), cancel).ConfigureAwait(false);
            _keys[algorithm] = key;
            return key;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new OrderException(OrderFailure.Internal, $"签名密钥不可用 / the device's {algorithm} signing key is not available: {e.Message}", e);
        }
        finally
        {
            _loading.Release();
        }
    }
}
