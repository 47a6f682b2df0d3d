using Appliance.Core.Screen;

namespace Appliance.Core.Capture;

/// <summary>
/// How a confirmed signature is kept in the journal, whichever protocol asked for it: the PNG, and the raw pen samples
/// beside it as evidence (<see cref="PenSampleEncoding"/>), so a signature reads the same from either port.
/// </summary>
public static class SignatureEvidence
{
    /// <summary>The name of the result part (journal image) that holds the signature's PNG.</summary>
    public const string PicturePart = "signature";

    public static KeyValuePair<string, byte[]>[] Parts(SignatureOutcome.Confirmed signed) =>
        [new(PicturePart, signed.Png), new(PenSampleEncoding.PartName, PenSampleEncoding.Encode(signed.Samples))];
}
