namespace Appliance.Core.Capture;

/// <summary>
/// Waits for a resident ID card on the reader and reads it. The session bounds the wait by cancelling the token
/// (a timeout with no card is an empty read, as seed 000 says), so a backend polls until cancelled.
/// </summary>
public interface IIdCardCapture
{
    Task<IdCardRead> ReadAsync(CancellationToken cancel);
}

/// <summary>The card's fields as printed on it, and its images (PNG/JPEG/BMP bytes as the reader delivers them; empty when unavailable).</summary>
public sealed record IdCardRead
{
    public string Name { get; init; } = "";
    public string Sex { get; init; } = "";
    public string Nation { get; init; } = "";
    public string Birthday { get; init; } = "";
    public string Address { get; init; } = "";
    public string IdNumber { get; init; } = "";
    public string Issuer { get; init; } = "";
    public string ValidFrom { get; init; } = "";
    public string ValidTo { get; init; } = "";
    public byte[] Photo { get; init; } = [];
    public byte[] FrontImage { get; init; } = [];
    public byte[] BackImage { get; init; } = [];

    /// <summary>What a read that timed out with no card returns: every field empty.</summary>
    public static IdCardRead Empty { get; } = new();
}
