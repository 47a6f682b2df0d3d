using Org.BouncyCastle.Security.Certificates;

namespace Appliance.Documents.Pdf.Verification;

internal static class MalformedAsn1
{
    /// <summary>What BouncyCastle throws for DER that is not the structure asked for (its parsing errors are IOExceptions).</summary>
    public static bool Is(Exception e) =>
        e is IOException or ArgumentException or InvalidCastException or InvalidOperationException or FormatException or OverflowException
            or IndexOutOfRangeException or CertificateException;
}
