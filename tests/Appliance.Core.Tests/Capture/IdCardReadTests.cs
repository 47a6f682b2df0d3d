using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;

namespace Appliance.Core.Tests.Capture;

/// <summary>The ID card is written to the journal and read back in one place, whichever protocol asked for it.</summary>
public sealed class IdCardReadTests
{
    private static ResultRecord Journaled(TaskProduct product, TaskState state = TaskState.Completed) => new()
    {
        TaskId = "t1", Kind = TaskKind.IdCard, State = state, Requester = new TaskRequester("camera", "10.0.0.2", "c1"),
        FinishedAt = DateTimeOffset.UnixEpoch, Fields = product.Fields, Images = product.Images,
    };

    [Fact]
    public void Every_field_and_image_survives_the_journal()
    {
        var card = new IdCardRead
        {
            CardType = "J", Name = "张测试", NameEn = "ZHANG", Sex = "男", SexCode = "1", Nation = "汉", NationCode = "01",
            Birthday = "19900307", Address = "北京市东城区测试路1号", IdNumber = "810000199003070011", Issuer = "公安部",
            IssuerCode = "1100", ValidFrom = "20200101", ValidTo = "20300101", PassportId = "H01234567", SignCount = "02",
            CardVersion = "1", PhotoUnavailableReason = "no decoder", Photo = [1, 2], PhotoBmp = [3], Fingerprint = [4, 5, 6],
            FrontImage = [7], BackImage = [8],
        };

        var back = IdCardRead.FromRecord(Journaled(card.ToProduct()));

        Assert.Equal(card with { Photo = [], PhotoBmp = [], Fingerprint = [], FrontImage = [], BackImage = [] },
            back with { Photo = [], PhotoBmp = [], Fingerprint = [], FrontImage = [], BackImage = [] },
            (a, b) => a.ToString() == b.ToString());
        Assert.Equal([1, 2], back.Photo);
        Assert.Equal([3], back.PhotoBmp);
        Assert.Equal([4, 5, 6], back.Fingerprint);
        Assert.Equal([7], back.FrontImage);
        Assert.Equal([8], back.BackImage);
    }

    [Fact]
    public void Missing_images_are_not_journaled_and_a_read_without_a_card_comes_back_empty()
    {
        var product = new IdCardRead { Name = "李四" }.ToProduct();
        Assert.Empty(product.Images);

        var timedOut = IdCardRead.FromRecord(Journaled(TaskProduct.Result([]), TaskState.TimedOut));
        Assert.Equal(IdCardRead.Empty.ToString(), timedOut.ToString());
        Assert.Empty(timedOut.Photo);
    }
}
