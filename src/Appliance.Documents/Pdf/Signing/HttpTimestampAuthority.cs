using System.Net.Http.Headers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;

namespace Appliance.Documents.Pdf.Signing;

/// <summary>
/// RFC 3161 over HTTP (§3.4): POSTs an application/timestamp-query with a fresh nonce and asks for the TSA's
/// certificate; the answer must be granted and carry a token for this imprint and nonce, or signing fails with
/// <see cref="PdfSigningFailure.Timestamp"/>.
/// </summary>
public sealed class HttpTimestampAuthority(HttpClient http, Uri url) : ITimestampAuthority
{
    private static readonly SecureRandom Random = new();

    public async Task<byte[]> GetTimestampTokenAsync(byte[] sha256OfSignatureValue, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sha256OfSignatureValue);
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        var request = generator.Generate(TspAlgorithms.Sha256, sha256OfSignatureValue, new BigInteger(64, Random));

        byte[] body;
        try
        {
            using var content = new ByteArrayContent(request.GetEncoded());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
            using var response = await http.PostAsync(url, content, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new PdfSigningException(PdfSigningFailure.Timestamp, $"timestamp authority {url} answered HTTP {(int)response.StatusCode}");
            }
            body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new PdfSigningException(PdfSigningFailure.Timestamp, $"timestamp authority {url} unreachable: {e.Message}", e);
        }

        TimeStampResponse answer;
        try
        {
            answer = new TimeStampResponse(body);
            // Checks the status, and that the token's imprint and nonce are this request's.
            answer.Validate(request);
        }
        catch (Exception e) when (e is TspException or IOException or ArgumentException or InvalidCastException)
        {
            throw new PdfSigningException(PdfSigningFailure.Timestamp, $"timestamp authority {url} answered badly: {e.Message}", e);
        }
        if (answer.TimeStampToken is not { } token)
        {
            throw new PdfSigningException(PdfSigningFailure.Timestamp,
                $"timestamp authority {url} refused: status {answer.Status} {answer.GetStatusString()}".TrimEnd());
        }
        return token.GetEncoded();
    }
}
