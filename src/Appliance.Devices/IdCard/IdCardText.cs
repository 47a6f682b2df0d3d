using System.Text;

namespace Appliance.Devices.IdCard;

/// <summary>
/// Decodes (and, for the simulator, encodes) the 256-byte UCS-2 little-endian text block. The card-type mark
/// at bytes 248-249 picks the layout: ' ' mainland, 'J' HK/Macau/Taiwan residence permit, 'I' foreigner 2017,
/// 'Y' foreigner 2023. Fields are space-padded.
/// </summary>
public static class IdCardText
{
    public const int BlockLength = 256;
    private const int TypeMarkOffset = 248;

    /// <summary>(field, length in bytes) in block order for each layout; "" is a reserved gap.</summary>
    internal static readonly (string Field, int Bytes)[] MainlandLayout =
        [("name", 30), ("sex", 2), ("nation", 4), ("birth", 16), ("address", 70), ("id", 36), ("issuer", 30), ("from", 16), ("to", 16), ("", 36)];

    internal static readonly (string Field, int Bytes)[] HkMacauTaiwanLayout =
        [("name", 30), ("sex", 2), ("", 4), ("birth", 16), ("address", 70), ("id", 36), ("issuer", 30), ("from", 16), ("to", 16),
         ("passport", 18), ("signCount", 4), ("", 6), ("type", 2), ("", 6)];

    internal static readonly (string Field, int Bytes)[] Foreigner2017Layout =
        [("nameEn", 120), ("sex", 2), ("id", 30), ("country", 6), ("name", 30), ("from", 16), ("to", 16), ("birth", 16),
         ("version", 4), ("issuerCode", 8), ("type", 2), ("", 6)];

    internal static readonly (string Field, int Bytes)[] Foreigner2023Layout =
        [("name", 30), ("sex", 2), ("", 4), ("birth", 16), ("nameEn", 70), ("id", 36), ("issuer", 30), ("from", 16), ("to", 16),
         ("passport", 18), ("signCount", 4), ("country", 6), ("type", 2), ("", 6)];

    public static IdCardKind KindOf(ReadOnlySpan<byte> block) =>
        block.Length < BlockLength ? IdCardKind.Unknown : (char)(block[TypeMarkOffset] | block[TypeMarkOffset + 1] << 8) switch
        {
            ' ' or '\0' => IdCardKind.Mainland,
            'J' => IdCardKind.HkMacauTaiwanResident,
            'I' => IdCardKind.ForeignPermanentResident2017,
            'Y' => IdCardKind.ForeignPermanentResident2023,
            _ => IdCardKind.Unknown,
        };

    internal static (string Field, int Bytes)[] LayoutOf(IdCardKind kind) => kind switch
    {
        IdCardKind.HkMacauTaiwanResident => HkMacauTaiwanLayout,
        IdCardKind.ForeignPermanentResident2017 => Foreigner2017Layout,
        IdCardKind.ForeignPermanentResident2023 => Foreigner2023Layout,
        _ => MainlandLayout,
    };

    /// <summary>Field name → trimmed text, in the layout the block's type mark names.</summary>
    public static Dictionary<string, string> Fields(ReadOnlySpan<byte> block)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (block.Length < BlockLength) return fields;
        var offset = 0;
        foreach (var (field, bytes) in LayoutOf(KindOf(block)))
        {
            if (field.Length > 0) fields[field] = Encoding.Unicode.GetString(block.Slice(offset, bytes)).Trim(' ', '\0');
            offset += bytes;
        }
        return fields;
    }

    /// <summary>Builds a block (space padded) from field values: the simulator's card images and the tests use it.</summary>
    public static byte[] Encode(IdCardKind kind, IReadOnlyDictionary<string, string> values)
    {
        var block = new byte[BlockLength];
        var offset = 0;
        foreach (var (field, bytes) in LayoutOf(kind))
        {
            var text = field == "type" ? TypeMark(kind) : values.GetValueOrDefault(field, "");
            var chars = bytes / 2;
            if (text.Length > chars) throw new ArgumentException($"{field} '{text}' is longer than {chars} characters");
            Encoding.Unicode.GetBytes(text.PadRight(chars), block.AsSpan(offset, bytes));
            offset += bytes;
        }
        return block;
    }

    private static string TypeMark(IdCardKind kind) => kind switch
    {
        IdCardKind.HkMacauTaiwanResident => "J",
        IdCardKind.ForeignPermanentResident2017 => "I",
        IdCardKind.ForeignPermanentResident2023 => "Y",
        _ => " ",
    };

    /// <summary>Turns a block (plus photo/fingerprint blocks) into <see cref="IdCardData"/>; the photo is filled in by the caller.</summary>
    public static IdCardData Decode(byte[] block, byte[] photoWlt, byte[] fingerprint, byte[]? photoBmp, string photoReason)
    {
        var kind = KindOf(block);
        var f = Fields(block);
        string Get(string key) => f.GetValueOrDefault(key, "");
        var foreigner = kind is IdCardKind.ForeignPermanentResident2017 or IdCardKind.ForeignPermanentResident2023;
        var nationCode = foreigner ? Get("country") : Get("nation");
        return new IdCardData
        {
            Kind = kind,
            CardType = kind switch
            {
                IdCardKind.Mainland => fingerprint.Length > 0 ? "C" : "B",
                IdCardKind.HkMacauTaiwanResident => "J",
                IdCardKind.ForeignPermanentResident2017 or IdCardKind.ForeignPermanentResident2023 => "I",
                _ => "A",
            },
            Name = Get("name"),
            NameEn = Get("nameEn"),
            SexCode = Get("sex"),
            Sex = IdCardCodes.SexName(Get("sex")),
            NationCode = nationCode,
            Nation = foreigner ? nationCode : IdCardCodes.NationName(nationCode),
            Birthday = Get("birth"),
            Address = Get("address"),
            IdNumber = Get("id"),
            Issuer = kind == IdCardKind.ForeignPermanentResident2017 ? "" : Get("issuer"),
            ValidFrom = Get("from"),
            ValidTo = Get("to"),
            PassportId = Get("passport"),
            SignCount = Get("signCount"),
            CardVersion = Get("version"),
            IssuerCode = Get("issuerCode"),
            TextBlock = block,
            PhotoWlt = photoWlt,
            PhotoBmp = photoBmp,
            PhotoUnavailableReason = photoBmp is null ? photoReason : "",
            Fingerprint = fingerprint,
        };
    }

    /// <summary>The SAM id as vendors print it: 16 bytes little-endian → <c>AA.BB-CCCCCCCC-DDDDDDDDDD-EEEEEEEEEE</c>.</summary>
    public static string FormatSamId(ReadOnlySpan<byte> id)
    {
        if (id.Length < 16) throw new ArgumentException("SAM id is 16 bytes", nameof(id));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var a = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(id);
        var b = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(id[2..]);
        var c = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(id[4..]);
        var d = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(id[8..]);
        var e = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(id[12..]);
        return string.Create(inv, $"{a:D2}.{b:D2}-{c:D8}-{d:D10}-{e:D10}");
    }
}
