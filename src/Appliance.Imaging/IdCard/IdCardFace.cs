namespace Appliance.Imaging.IdCard;

/// <summary>What is printed on a card's two faces. Map it from <c>Appliance.Devices.IdCard.IdCardData</c>.</summary>
public sealed record IdCardFace
{
    /// <summary>Which layout: <c>mainland</c>, <c>hkmotw</c> (港澳台居民居住证) or <c>foreigner</c>.</summary>
    public string Layout { get; init; } = "mainland";
    public string Name { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string Sex { get; init; } = "";
    public string Nation { get; init; } = "";
    /// <summary><c>yyyyMMdd</c>.</summary>
    public string Birthday { get; init; } = "";
    public string Address { get; init; } = "";
    public string IdNumber { get; init; } = "";
    public string Issuer { get; init; } = "";
    public string ValidFrom { get; init; } = "";
    public string ValidTo { get; init; } = "";
    public string PassportId { get; init; } = "";
    public string SignCount { get; init; } = "";
    /// <summary>The decoded photo (BMP/PNG/JPEG bytes) or null: the face then shows why there is no photo.</summary>
    public byte[]? Photo { get; init; }
    /// <summary>Printed in the photo box when <see cref="Photo"/> is null.</summary>
    public string PhotoUnavailableReason { get; init; } = "";
}
