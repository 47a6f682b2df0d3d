using Appliance.Devices.IdCard;
using Appliance.Simulators.Fingerprint;

namespace Appliance.Simulators.IdCard;

/// <summary>
/// A card the simulated SAM module can "see". Every identity here is invented; its number is built from
/// invented digits plus the GB 11643 check character, so it is well-formed and belongs to nobody.
/// </summary>
public sealed record FictionalCard(string Preset, IdCardKind Kind, IReadOnlyDictionary<string, string> Fields, byte[] PhotoWlt, byte[] Fingerprint)
{
    public string IdNumber => Fields.GetValueOrDefault("id", "");

    public byte[] TextBlock() => IdCardText.Encode(Kind, Fields);

    /// <summary>Preset names <c>POST /sim/card</c> accepts.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["mainland", "mainland-nofp", "hkmotw", "foreigner"];

    public static FictionalCard FromPreset(string preset) => preset switch
    {
        "mainland" => Mainland(withFingerprint: true),
        "mainland-nofp" => Mainland(withFingerprint: false),
        "hkmotw" => HkMacauTaiwan(),
        "foreigner" => Foreigner(),
        _ => throw new ArgumentException($"unknown card preset '{preset}' (known: {string.Join(", ", PresetNames)})", nameof(preset)),
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
