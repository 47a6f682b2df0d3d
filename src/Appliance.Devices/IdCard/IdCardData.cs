namespace Appliance.Devices.IdCard;

/// <summary>Which document lay on the reader, from the card-type mark in the text block.</summary>
public enum IdCardKind
{
    /// <summary>居民身份证 (mark ' ').</summary>
    Mainland,
    /// <summary>港澳台居民居住证 (mark 'J').</summary>
    HkMacauTaiwanResident,
    /// <summary>外国人永久居留身份证, 2017 version (mark 'I').</summary>
    ForeignPermanentResident2017,
    /// <summary>外国人永久居留身份证, 2023 version (mark 'Y', 18-digit number starting with 9).</summary>
    ForeignPermanentResident2023,
    /// <summary>A mark this firmware does not know; only the raw blocks are meaningful.</summary>
    Unknown,
}

/// <summary>
/// Everything read from one card. Strings are decoded and trimmed; dates stay as the card stores them
/// (<c>yyyyMMdd</c>, or <c>长期</c> for a permanent validity end). Fields a card kind does not carry are "".
/// </summary>
public sealed class IdCardData
{
    public IdCardKind Kind { get; init; }

    /// <summary>Seed 003 §4.1 letter: A unknown, B mainland without fingerprint, C mainland with, J HK/Macau/Taiwan, I foreigner.</summary>
    public string CardType { get; init; } = "A";

    /// <summary>Chinese name (foreigner cards: the Chinese name if any).</summary>
    public string Name { get; init; } = "";
    /// <summary>Foreigner cards: the name in Latin letters.</summary>
    public string NameEn { get; init; } = "";
    public string SexCode { get; init; } = "";
    /// <summary>男 / 女 / 未知 / 未说明 from <see cref="SexCode"/>.</summary>
    public string Sex { get; init; } = "";
    /// <summary>Mainland: GB 3304 nation code ("01"); foreigner: GB/T 2659 country code ("USA").</summary>
    public string NationCode { get; init; } = "";
    /// <summary>Mainland: 汉, 蒙古, …; foreigner: the country code again.</summary>
    public string Nation { get; init; } = "";
    public string Birthday { get; init; } = "";
    public string Address { get; init; } = "";
    /// <summary>Citizen number / residence-permit number / permanent-residence number.</summary>
    public string IdNumber { get; init; } = "";
    public string Issuer { get; init; } = "";
    public string ValidFrom { get; init; } = "";
    public string ValidTo { get; init; } = "";
    /// <summary>HK/Macau/Taiwan: the travel-permit number (通行证号码).</summary>
    public string PassportId { get; init; } = "";
    /// <summary>HK/Macau/Taiwan: how many times the permit was issued.</summary>
    public string SignCount { get; init; } = "";
    /// <summary>Foreigner 2017: card version.</summary>
    public string CardVersion { get; init; } = "";
    /// <summary>Foreigner 2017: accepting authority code (受理机关).</summary>
    public string IssuerCode { get; init; } = "";

    /// <summary>The raw 256-byte UCS-2 text block, as read.</summary>
    public byte[] TextBlock { get; init; } = [];
    /// <summary>The raw WLT-compressed photo block (1024 bytes), as read.</summary>
    public byte[] PhotoWlt { get; init; } = [];
    /// <summary>The photo decoded to a 102x126 24-bit BMP, or null (see <see cref="PhotoUnavailableReason"/>).</summary>
    public byte[]? PhotoBmp { get; init; }
    /// <summary>Why <see cref="PhotoBmp"/> is null, in words a person can act on; "" when the photo decoded.</summary>
    public string PhotoUnavailableReason { get; init; } = "";
    /// <summary>The card's fingerprint block (1024 bytes, two templates), or empty when the card has none.</summary>
    public byte[] Fingerprint { get; init; } = [];
}
