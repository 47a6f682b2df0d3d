using Appliance.Core.Orders;

namespace Appliance.Core.Tests.Orders;

public sealed class OrderPlacementsTests
{
    /// <summary>Two A4 pages (595 x 842 pt); "甲方签字" on page 2 at (100, 700) and again at (300, 100) on page 2.</summary>
    private sealed class A4 : IDocumentLayout
    {
        public int PageCount => 2;
        public (double Width, double Height) PageSize(int page) => (595, 842);
        public IReadOnlyList<TextHit> FindText(string text) => text == "甲方签字" ? [new(1, 100, 700, 80, 20), new(1, 300, 100, 80, 20)] : [];
        public void Dispose() { }
    }

    [Fact]
    public void A_seed_002_position_left_bottom_right_top_becomes_a_box_from_the_top_left()
    {
        var box = Assert.Single(OrderPlacements.Resolve(new PlacementSpec.Area(1, 0.30, 0.57, 0.46, 0.69), new A4()));
        Assert.Equal(0, box.Page);
        Assert.Equal(0.30, box.Left, 6);
        Assert.Equal(1 - 0.69, box.Top, 6);
        Assert.Equal(0.16, box.Width, 6);
        Assert.Equal(0.12, box.Height, 6);
    }

    [Fact]
    public void A_seed_001_point_in_pdf_points_from_the_bottom_left_is_the_signatures_lower_left_corner()
    {
        var box = Assert.Single(OrderPlacements.Resolve(new PlacementSpec.Point(2, 100, 200), new A4()));
        Assert.Equal(1, box.Page);
        Assert.Equal(100 / 595.0, box.Left, 6);
        Assert.Equal((842 - 200 - OrderPlacements.SignatureHeightPoints) / 842, box.Top, 6);
        Assert.Equal(OrderPlacements.SignatureWidthPoints / 595, box.Width, 6);
    }

    [Fact]
    public void A_keyword_places_a_signature_centred_on_each_occurrence_asked_for()
    {
        Assert.Equal(2, OrderPlacements.Resolve(new PlacementSpec.Text("甲方签字", 0, 0, 0), new A4()).Count);
        var last = Assert.Single(OrderPlacements.Resolve(new PlacementSpec.Text("甲方签字", -1, 10, 0), new A4()));
        Assert.Equal((300 + 40 - 75 + 10) / 595.0, last.Left, 6);
        Assert.Equal((100 + 10 - 30) / 842.0, last.Top, 6);
    }

    [Theory]
    [InlineData(3, OrderFailure.BadDocument)]
    [InlineData(0, OrderFailure.BadDocument)]
    public void A_page_the_document_does_not_have_is_refused(int page, OrderFailure failure) =>
        Assert.Equal(failure, Assert.Throws<OrderException>(() => OrderPlacements.Resolve(new PlacementSpec.Area(page, 0.1, 0.1, 0.3, 0.2), new A4())).Failure);

    [Fact]
    public void A_keyword_not_in_the_document_or_an_area_upside_down_is_refused_with_its_own_failure()
    {
        Assert.Equal(OrderFailure.PlacementNotFound, Assert.Throws<OrderException>(() => OrderPlacements.Resolve(new PlacementSpec.Text("乙方", 0, 0, 0), new A4())).Failure);
        Assert.Equal(OrderFailure.PlacementNotFound, Assert.Throws<OrderException>(() => OrderPlacements.Resolve(new PlacementSpec.Text("甲方签字", 3, 0, 0), new A4())).Failure);
        Assert.Equal(OrderFailure.BadParameter, Assert.Throws<OrderException>(() => OrderPlacements.Resolve(new PlacementSpec.Area(1, 0.5, 0.6, 0.4, 0.7), new A4())).Failure);
        Assert.Equal(OrderFailure.BadDocument, Assert.Throws<OrderException>(() => OrderPlacements.Resolve(new PlacementSpec.Point(1, 700, 10), new A4())).Failure);
    }
}
