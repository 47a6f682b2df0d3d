using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Appliance.Core.Documents;

/// <summary>
/// The evidence file embedded in a signed PDF (<c>signature-evidence.json</c>): the SHA-256 of the document as shown,
/// the signer when known, and each signature's page, place and raw pen samples, so the handwriting is bound to this
/// document by the signature that covers the file.
/// </summary>
public static class DocumentEvidenceJson
{
    public static byte[] Write(ReadOnlySpan<byte> pdf, string? signer, IReadOnlyList<PlacedSignature> placed)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", "appliance-signature-evidence/1");
            w.WriteString("document_sha256", Convert.ToHexStringLower(SHA256.HashData(pdf)));
            if (!string.IsNullOrWhiteSpace(signer)) w.WriteString("signer", signer);
            w.WriteStartArray("signatures");
            foreach (var p in placed)
            {
                w.WriteStartObject();
                w.WriteNumber("page", p.Stamp.Page + 1);
                w.WriteNumber("x", Math.Round(p.Stamp.Left, 4));
                w.WriteNumber("y", Math.Round(p.Stamp.Top, 4));
                w.WriteNumber("width", Math.Round(p.Stamp.Width, 4));
                w.WriteNumber("height", Math.Round(p.Stamp.Height, 4));
                w.WriteString("signature_png_sha256", Convert.ToHexStringLower(SHA256.HashData(p.Signature.Png)));
                w.WriteBoolean("fingerprint", p.FingerprintPng is not null);
                // Samples as rows [ms, x, y, pressure, pen_down(, tilt_x, tilt_y)]: pad pixels, pressure 0..1.
                w.WriteStartArray("samples");
                foreach (var s in p.Signature.Samples)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(s.Millis);
                    w.WriteRawValue(Number(s.X), skipInputValidation: true);
                    w.WriteRawValue(Number(s.Y), skipInputValidation: true);
                    w.WriteRawValue(Number(s.Pressure, "0.####"), skipInputValidation: true);
                    w.WriteNumberValue(s.PenDown ? 1 : 0);
                    if (s.TiltX is { } tx && s.TiltY is { } ty)
                    {
                        w.WriteRawValue(Number(tx), skipInputValidation: true);
                        w.WriteRawValue(Number(ty), skipInputValidation: true);
                    }
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);
}
