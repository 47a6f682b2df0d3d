using Appliance.Core.Journal;
using Appliance.Core.Session;

namespace Appliance.Core.Capture;

/// <summary>
/// One resident ID card as read: every field the card carries, decoded and trimmed ("" when the card kind has none;
/// dates as the card stores them, <c>yyyyMMdd</c> or <c>长期</c>), and its images (empty when unavailable). Both
/// protocols journal a read through <see cref="ToProduct"/> and read it back through <see cref="FromRecord"/>, so the
/// list of fields lives here once; each protocol keeps only its wire names for them.
/// </summary>
public sealed record IdCardRead
{
    /// <summary>Seed 003 §4.1 letter: A unknown, B mainland without fingerprint, C mainland with, J HK/Macau/Taiwan, I foreigner.</summary>
    public string CardType { get; init; } = "";
    /// <summary>Chinese name (foreigner cards: the Chinese name if any).</summary>
    public string Name { get; init; } = "";
    /// <summary>Foreigner cards: the name in Latin letters.</summary>
    public string NameEn { get; init; } = "";
    /// <summary>男 / 女 / 未知 / 未说明.</summary>
    public string Sex { get; init; } = "";
    public string SexCode { get; init; } = "";
    /// <summary>Mainland: 汉, 蒙古, …; foreigner: the country code.</summary>
    public string Nation { get; init; } = "";
    /// <summary>Mainland: GB 3304 nation code ("01"); foreigner: GB/T 2659 country code ("USA").</summary>
    public string NationCode { get; init; } = "";
    public string Birthday { get; init; } = "";
    public string Address { get; init; } = "";
    /// <summary>Citizen number / residence-permit number / permanent-residence number.</summary>
    public string IdNumber { get; init; } = "";
    public string Issuer { get; init; } = "";
    /// <summary>Foreigner 2017: accepting authority code (受理机关).</summary>
    public string IssuerCode { get; init; } = "";
    public string ValidFrom { get; init; } = "";
    public string ValidTo { get; init; } = "";
    /// <summary>HK/Macau/Taiwan: the travel-permit number.</summary>
    public string PassportId { get; init; } = "";
    /// <summary>HK/Macau/Taiwan: how many times the permit was issued.</summary>
    public string SignCount { get; init; } = "";
    /// <summary>Foreigner 2017: card version.</summary>
    public string CardVersion { get; init; } = "";
    /// <summary>Why there is no photo, in words a person can act on; "" when the photo decoded.</summary>
    public string PhotoUnavailableReason { get; init; } = "";
    /// <summary>The card's photo as PNG.</summary>
    public byte[] Photo { get; init; } = [];
    /// <summary>The same photo as the reader decoded it (102x126 24-bit BMP).</summary>
    public byte[] PhotoBmp { get; init; } = [];
    /// <summary>The card's fingerprint block (1024 bytes, two templates) when asked for and present.</summary>
    public byte[] Fingerprint { get; init; } = [];
    /// <summary>The card's two faces drawn from its fields (PNG) when asked for.</summary>
    public byte[] FrontImage { get; init; } = [];
    public byte[] BackImage { get; init; } = [];

    /// <summary>What a read that timed out with no card returns: every field empty.</summary>
    public static IdCardRead Empty { get; } = new();

    /// <summary>The names a read is journaled under (fields and images of its result record).</summary>
    public static class RecordKeys
    {
        public const string CardType = "cardType", Name = "name", NameEn = "nameEn", Sex = "sex", SexCode = "sexCode",
            Nation = "nation", NationCode = "nationCode", Birthday = "birthday", Address = "address", IdNumber = "idNumber",
            Issuer = "issuer", IssuerCode = "issuerCode", ValidFrom = "validFrom", ValidTo = "validTo", PassportId = "passportId",
            SignCount = "signCount", CardVersion = "cardVersion", PhotoUnavailableReason = "photoUnavailableReason";

        public const string Photo = "cardPhoto", PhotoBmp = "cardPhotoBmp", Fingerprint = "cardFingerprint",
            FrontImage = "cardFront", BackImage = "cardBack";
    }

    /// <summary>The read as a task's result: every field, and the images it has.</summary>
    public TaskProduct ToProduct()
    {
        List<KeyValuePair<string, byte[]>> images = [];
        foreach (var (key, bytes) in Images())
            if (bytes.Length > 0) images.Add(new(key, bytes));
        return TaskProduct.Result(images, [.. Fields()]);
    }

    /// <summary>The read a journaled result holds; a result without one (a timeout with no card) reads as <see cref="Empty"/>.</summary>
    public static IdCardRead FromRecord(ResultRecord record) => new()
    {
        CardType = record.Field(RecordKeys.CardType), Name = record.Field(RecordKeys.Name), NameEn = record.Field(RecordKeys.NameEn),
        Sex = record.Field(RecordKeys.Sex), SexCode = record.Field(RecordKeys.SexCode), Nation = record.Field(RecordKeys.Nation),
        NationCode = record.Field(RecordKeys.NationCode), Birthday = record.Field(RecordKeys.Birthday), Address = record.Field(RecordKeys.Address),
        IdNumber = record.Field(RecordKeys.IdNumber), Issuer = record.Field(RecordKeys.Issuer), IssuerCode = record.Field(RecordKeys.IssuerCode),
        ValidFrom = record.Field(RecordKeys.ValidFrom), ValidTo = record.Field(RecordKeys.ValidTo), PassportId = record.Field(RecordKeys.PassportId),
        SignCount = record.Field(RecordKeys.SignCount), CardVersion = record.Field(RecordKeys.CardVersion),
        PhotoUnavailableReason = record.Field(RecordKeys.PhotoUnavailableReason),
        Photo = record.Image(RecordKeys.Photo) ?? [], PhotoBmp = record.Image(RecordKeys.PhotoBmp) ?? [],
        Fingerprint = record.Image(RecordKeys.Fingerprint) ?? [],
        FrontImage = record.Image(RecordKeys.FrontImage) ?? [], BackImage = record.Image(RecordKeys.BackImage) ?? [],
    };

    private IEnumerable<KeyValuePair<string, string>> Fields() =>
    [
        new(RecordKeys.CardType, CardType), new(RecordKeys.Name, Name), new(RecordKeys.NameEn, NameEn), new(RecordKeys.Sex, Sex),
        new(RecordKeys.SexCode, SexCode), new(RecordKeys.Nation, Nation), new(RecordKeys.NationCode, NationCode),
        new(RecordKeys.Birthday, Birthday), new(RecordKeys.Address, Address), new(RecordKeys.IdNumber, IdNumber),
        new(RecordKeys.Issuer, Issuer), new(RecordKeys.IssuerCode, IssuerCode), new(RecordKeys.ValidFrom, ValidFrom),
        new(RecordKeys.ValidTo, ValidTo), new(RecordKeys.PassportId, PassportId), new(RecordKeys.SignCount, SignCount),
        new(RecordKeys.CardVersion, CardVersion), new(RecordKeys.PhotoUnavailableReason, PhotoUnavailableReason),
    ];

    private IEnumerable<KeyValuePair<string, byte[]>> Images() =>
    [
        new(RecordKeys.Photo, Photo), new(RecordKeys.PhotoBmp, PhotoBmp), new(RecordKeys.Fingerprint, Fingerprint),
        new(RecordKeys.FrontImage, FrontImage), new(RecordKeys.BackImage, BackImage),
    ];
}
