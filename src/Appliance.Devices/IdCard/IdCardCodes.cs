namespace Appliance.Devices.IdCard;

/// <summary>The code tables the card's text block refers to: sex (GB/T 2261.1) and nation (GB 3304).</summary>
public static class IdCardCodes
{
    public static string SexName(string code) => code switch
    {
        "0" => "未知",
        "1" => "男",
        "2" => "女",
        "9" => "未说明",
        _ => code,
    };

    /// <summary>The name printed on the card (without 族), or the code itself when it is not in GB 3304.</summary>
    public static string NationName(string code) =>
        int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
        && Nations.TryGetValue(n, out var name) ? name : code;

    private static readonly Dictionary<int, string> Nations = new()
    {
        [1] = "汉", [2] = "蒙古", [3] = "回", [4] = "藏", [5] = "维吾尔", [6] = "苗", [7] = "彝", [8] = "壮",
        [9] = "布依", [10] = "朝鲜", [11] = "满", [12] = "侗", [13] = "瑶", [14] = "白", [15] = "土家", [16] = "哈尼",
        [17] = "哈萨克", [18] = "傣", [19] = "黎", [20] = "傈僳", [21] = "佤", [22] = "畲", [23] = "高山", [24] = "拉祜",
        [25] = "水", [26] = "东乡", [27] = "纳西", [28] = "景颇", [29] = "柯尔克孜", [30] = "土", [31] = "达斡尔", [32] = "仫佬",
        [33] = "羌", [34] = "布朗", [35] = "撒拉", [36] = "毛南", [37] = "仡佬", [38] = "锡伯", [39] = "阿昌", [40] = "普米",
        [41] = "塔吉克", [42] = "怒", [43] = "乌孜别克", [44] = "俄罗斯", [45] = "鄂温克", [46] = "德昂", [47] = "保安", [48] = "裕固",
        [49] = "京", [50] = "塔塔尔", [51] = "独龙", [52] = "鄂伦春", [53] = "赫哲", [54] = "门巴", [55] = "珞巴", [56] = "基诺",
        [97] = "其他", [98] = "外国血统中国籍人士",
    };

    /// <summary>
    /// GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits of an 18-character number:
    /// '0'..'9' or 'X'. Mainland, HK/Macau/Taiwan residence-permit and 2023 permanent-residence numbers use it.
    /// </summary>
    public static char Gb11643CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17) throw new ArgumentException("need 17 digits", nameof(first17));
        var sum = 0;
        var weight = 1;
        // Weights are 2^(18-i) mod 11, computed right to left.
        for (var i = 16; i >= 0; i--)
        {
            weight = weight * 2 % 11;
            var d = first17[i] - '0';
            if (d is < 0 or > 9) throw new ArgumentException("not a digit", nameof(first17));
            sum += d * weight;
        }
        var check = (12 - sum % 11) % 11;
        return check == 10 ? 'X' : (char)('0' + check);
    }

    /// <summary>True for an 18-character number whose last character is its GB 11643 check character.</summary>
    public static bool HasValidCheckCharacter(string number) =>
        number.Length == 18 && number.AsSpan(0, 17).IndexOfAnyExceptInRange('0', '9') < 0
        && char.ToUpperInvariant(number[17]) == Gb11643CheckCharacter(number.AsSpan(0, 17));
}
