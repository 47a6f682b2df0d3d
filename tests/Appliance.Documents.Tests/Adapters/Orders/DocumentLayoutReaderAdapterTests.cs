using Appliance.Adapters.Orders;
using Appliance.Core.Orders;
using Appliance.TestSupport;

namespace Appliance.Documents.Tests.Adapters.Orders;

/// <summary>The layout an order's placements are resolved against: pages, sizes and text of a real PDF through poppler.</summary>
public sealed class DocumentLayoutReaderAdapterTests
{
    [Fact]
    public void A_document_has_its_pages_and_finds_its_text_with_zero_based_pages()
    {
        using var layout = new DocumentLayoutReaderAdapter().Open(SamplePdf.Create(pages: 3, width: 600, height: 800));

        Assert.Equal(3, layout.PageCount);
        Assert.Equal((600.0, 800.0), layout.PageSize(2));
        var hit = Assert.Single(layout.FindText("Page 3 of 3"));
        Assert.Equal(2, hit.Page);
        Assert.InRange(hit.Left, 71, 73);
        Assert.InRange(hit.Top + hit.Height, 100, 110);
    }

    [Fact]
    public void A_keyword_placement_lands_centred_on_the_text_found()
    {
        using var layout = new DocumentLayoutReaderAdapter().Open(SamplePdf.Create(pages: 2, title: "Sign here"));

        var placements = OrderPlacements.Resolve(new PlacementSpec.Text("Sign here", Occurrence: -1, OffsetX: 0, OffsetY: 0), layout);

        var placement = Assert.Single(placements);
        var hit = layout.FindText("Sign here")[^1];
        Assert.Equal(1, placement.Page);
        // The placement is in fractions of the page; its centre is the text's centre.
        Assert.Equal(hit.Left + hit.Width / 2, (placement.Left + placement.Width / 2) * SamplePdf.A4Width, 3);
        Assert.Equal(hit.Top + hit.Height / 2, (placement.Top + placement.Height / 2) * SamplePdf.A4Height, 3);
    }

    [Fact]
    public void Bytes_that_are_not_a_pdf_are_a_bad_document()
    {
        var failure = Assert.Throws<OrderException>(() => new DocumentLayoutReaderAdapter().Open("%PDF-1.7 but nothing else"u8.ToArray()));

        Assert.Equal(OrderFailure.BadDocument, failure.Failure);
    }
}
