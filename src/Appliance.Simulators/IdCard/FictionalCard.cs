using Appliance.Devices.IdCard;
using Appliance.Simulators.Fingerprint;

namespace Appliance.Simulators.IdCard;

/// <summary>
/// A card the simulated SAM module can "see". Every identity here is invented; its number is built from
/// invented digits plus the GB 11643 check character (the 2017 foreigner card: see <see cref="Foreigner2017Number"/>),
/// so it is well-formed and belongs to nobody.
/// </summary>
public sealed record FictionalCard(string Preset, IdCardKind Kind, IReadOnlyDictionary<string, string> Fields, byte[] PhotoWlt, byte[] Fingerprint)
{
    public string IdNumber => Fields.GetValueOrDefault("id", "");

    public byte[] TextBlock() => IdCardText.Encode(Kind, Fields);

    /// <summary>Preset names <c>POST /sim/card</c> accepts.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["mainland", "mainland-nofp", "hkmotw", "foreigner", "foreigner2017"];

    public static FictionalCard FromPreset(string preset) => preset switch
    {
        "mainland" => Mainland(withFingerprint: true),
        "mainland-nofp" => Mainland(withFingerprint: false),
        "hkmotw" => HkMacauTaiwan(),
        "foreigner" => Foreigner(),
        "foreigner2017" => Foreigner2017(),
        _ => throw new ArgumentException($"unknown card preset '{preset}' (known: {string.Join(", ", PresetNames)})"),
    };

    /// <summary>Appends the check character to 17 invented digits.</summary>
    public static string WithCheckCharacter(string first17) => first17 + IdCardCodes.Gb11643CheckCharacter(first17);

    private static FictionalCard Mainland(bool withFingerprint) => new(
        withFingerprint ? "mainland" : "mainland-nofp",
        IdCardKind.Mainland,
        new Dictionary<string, string>
        {
            ["name"] = "林示例",
            ["sex"] = "1",
            ["nation"] = "01",
            ["birth"] = "19900307",
            ["address"] = "北京市东城区示例路12号院3号楼4单元501室",
            ["id"] = WithCheckCharacter("11010119900307123"),
            ["issuer"] = "北京市公安局东城分局",
            ["from"] = "20200115",
            ["to"] = "20400115",
        },
        SyntheticWlt(1),
        withFingerprint ? CardFingerprint(1) : []);

    private static FictionalCard HkMacauTaiwan() => new(
        "hkmotw",
        IdCardKind.HkMacauTaiwanResident,
        new Dictionary<string, string>
        {
            ["name"] = "陈样本",
            ["sex"] = "2",
            ["birth"] = "19880516",
            ["address"] = "广东省深圳市福田区示例大道88号",
            ["id"] = WithCheckCharacter("81000019880516002"),
            ["issuer"] = "深圳市公安局福田分局",
            ["from"] = "20210601",
            ["to"] = "20260601",
            ["passport"] = "H00000000",
            ["signCount"] = "01",
        },
        SyntheticWlt(2),
        CardFingerprint(2));

    private static FictionalCard Foreigner() => new(
        "foreigner",
        IdCardKind.ForeignPermanentResident2023,
        new Dictionary<string, string>
        {
            ["name"] = "安样本",
            ["nameEn"] = "SAMPLE, ANNA MARIE",
            ["sex"] = "2",
            ["birth"] = "19850214",
            ["id"] = WithCheckCharacter("91184019850214012"),
            ["issuer"] = "国家移民管理局",
            ["from"] = "20240301",
            ["to"] = "20340301",
            ["signCount"] = "01",
            ["country"] = "USA",
        },
        SyntheticWlt(3),
        []);

    /// <summary>The 2017 permanent residence card (type mark 'I'), still in use beside the 2023 one.</summary>
    private static FictionalCard Foreigner2017() => new(
        "foreigner2017",
        IdCardKind.ForeignPermanentResident2017,
        new Dictionary<string, string>
        {
            ["nameEn"] = "SAMPLE, MARK JOHN",
            ["sex"] = "1",
            ["id"] = Foreigner2017Number("CAN", "1100", "19800709", '1'),
            ["country"] = "CAN",
            ["name"] = "马样本",
            ["from"] = "20190520",
            ["to"] = "20290520",
            ["birth"] = "19800709",
            ["version"] = "01",
            ["issuerCode"] = "1100",
        },
        SyntheticWlt(4),
        []);

    /// <summary>
    /// The 2017 card's 15-character number: nationality (3 letters, GB/T 2659 alpha-3, the card's country), the
    /// accepting authority (4 digits, the card's issuerCode), the birth date as YYMMDD, a sequence digit and a check
    /// digit. Public descriptions of the number name the check digit but not its algorithm, and the 2023 card moved to
    /// GB 11643's; the simulator computes it as ICAO 9303 does for machine-readable travel documents
    /// (<see cref="IcaoCheckDigit"/>). That is an assumption, so nothing in the firmware rejects a number by it.
    /// </summary>
    public static string Foreigner2017Number(string country, string issuerCode, string birth, char sequence)
    {
        var first14 = $"{country}{issuerCode}{birth[2..]}{sequence}";
        if (first14.Length != 14) throw new ArgumentException($"'{first14}' is not 3 letters + 4 + 6 + 1 digits");
        return first14 + IcaoCheckDigit(first14);
    }

    /// <summary>ICAO 9303 part 3 check digit: weights 7, 3, 1 repeating; digits as themselves, A-Z as 10-35, '&lt;' as 0; sum mod 10.</summary>
    public static char IcaoCheckDigit(ReadOnlySpan<char> text)
    {
        var sum = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var value = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'A' and <= 'Z' => c - 'A' + 10,
                '<' => 0,
                _ => throw new ArgumentException($"'{c}' has no ICAO 9303 value"),
            };
            sum += value * (i % 3 == 0 ? 7 : i % 3 == 1 ? 3 : 1);
        }
        return (char)('0' + sum % 10);
    }

    /// <summary>
    /// 1024 bytes standing in for the card's WLT photo. WLT is a licensed compressed format; these bytes are NOT
    /// a decodable WLT image, which is why the sim board has no decoder library and reports the photo as not decodable.
    /// </summary>
    public static byte[] SyntheticWlt(int seed)
    {
        var block = new byte[1024];
        new Random(seed).NextBytes(block);
        block[0] = (byte)'W';
        block[1] = (byte)'L';
        return block;
    }

    /// <summary>The card's fingerprint block: two 512-byte templates of the holder's simulated finger, in the module's template format.</summary>
    private static byte[] CardFingerprint(int holder)
    {
        var block = new byte[1024];
        SimulatedFinger.ForHolder(holder).Template(capture: 0).CopyTo(block, 0);
        SimulatedFinger.ForHolder(holder).Template(capture: 1).CopyTo(block, 512);
        return block;
    }
}
