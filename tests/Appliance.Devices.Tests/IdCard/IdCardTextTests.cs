using Appliance.Devices.IdCard;

namespace Appliance.Devices.Tests.IdCard;

public sealed class IdCardTextTests
{
    [Theory]
    [InlineData("11010519491231002", 'X')] // the GB 11643 standard's own worked example
    [InlineData("44052418800101001", '4')]
    public void Gb11643_check_character(string first17, char check) =>
        Assert.Equal(check, IdCardCodes.Gb11643CheckCharacter(first17));

    [Fact]
    public void A_wrong_check_character_is_caught() =>
        Assert.False(IdCardCodes.HasValidCheckCharacter("110105194912310021"));

    [Fact]
    public void Sex_and_nation_tables()
    {
        Assert.Equal("男", IdCardCodes.SexName("1"));
        Assert.Equal("女", IdCardCodes.SexName("2"));
        Assert.Equal("蒙古", IdCardCodes.NationName("02"));
        Assert.Equal("基诺", IdCardCodes.NationName("56"));
        Assert.Equal("外国血统中国籍人士", IdCardCodes.NationName("98"));
        Assert.Equal("77", IdCardCodes.NationName("77"));
    }

    [Fact]
    public void Every_layout_is_exactly_256_bytes()
    {
        foreach (var kind in new[] { IdCardKind.Mainland, IdCardKind.HkMacauTaiwanResident, IdCardKind.ForeignPermanentResident2017, IdCardKind.ForeignPermanentResident2023 })
        {
            var block = IdCardText.Encode(kind, new Dictionary<string, string>());
            Assert.Equal(256, block.Length);
            Assert.Equal(kind, IdCardText.KindOf(block));
        }
    }

    [Fact]
    public void Foreigner_2017_layout_decodes_its_own_fields()
    {
        var block = IdCardText.Encode(IdCardKind.ForeignPermanentResident2017, new Dictionary<string, string>
        {
            ["nameEn"] = "EXAMPLE, JOHN", ["sex"] = "1", ["id"] = "USA110000000000", ["country"] = "USA", ["name"] = "约翰",
            ["from"] = "20170616", ["to"] = "20270616", ["birth"] = "19700101", ["version"] = "01", ["issuerCode"] = "1100",
        });
        var data = IdCardText.Decode(block, [], [], null, "no decoder");
        Assert.Equal("I", data.CardType);
        Assert.Equal("EXAMPLE, JOHN", data.NameEn);
        Assert.Equal("1100", data.IssuerCode);
        Assert.Equal("01", data.CardVersion);
        Assert.Equal("", data.Issuer);
    }

    [Fact]
    public void Sam_id_formatting()
    {
        byte[] id = [5, 0, 1, 0, 10, 41, 53, 1, 1, 0, 0, 0, 2, 0, 0, 0];
        Assert.Equal("05.01-20261130-0000000001-0000000002", IdCardText.FormatSamId(id));
    }
}
