using Appliance.Documents.Pdf.Rendering;
using Appliance.TestSupport;

namespace Appliance.Documents.Tests.Pdf.Rendering;

/// <summary>The render-ahead cache: what it renders, what it keeps, and that a lease's pixels outlive eviction. No timing is asserted.</summary>
public sealed class PdfPageCacheTests
{
    // Small renders keep the tests quick; the cache does not care about the scale.
    private const double Scale = 0.25;

    [Fact]
    public async Task The_first_page_of_a_100_page_document_comes_without_rendering_the_whole_document()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 100));
        using var cache = new PdfPageCache(document, Scale);

        using var lease = await cache.GetAsync(0, TestContext.Current.CancellationToken);

        Assert.Equal(0, lease.Image.PageIndex);
        Assert.Equal(0, SameAs(document.Render(0, Scale)).MeanAbsoluteDifference(RgbPicture.From(lease.Image)));
        // Page 0 and at most its neighbours 1 and 2, whenever the worker gets to them.
        Assert.InRange(cache.RenderedCount, 1, 3);
    }

    [Fact]
    public async Task A_page_asked_for_again_while_leased_is_the_same_image()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 5));
        using var cache = new PdfPageCache(document, Scale);

        using var first = await cache.GetAsync(2, TestContext.Current.CancellationToken);
        using var second = await cache.GetAsync(2, TestContext.Current.CancellationToken);

        Assert.Same(first.Image, second.Image);
        Assert.Equal(2, first.Image.PageIndex);
    }

    [Fact]
    public async Task A_lease_keeps_its_pixels_while_the_cache_evicts_around_it_and_after_the_cache_is_disposed()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 8));
        long pageBytes;
        RgbPicture page0;
        using (var reference = document.Render(0, Scale))
        {
            pageBytes = reference.ByteCount;
            page0 = RgbPicture.From(reference);
        }
        var cache = new PdfPageCache(document, Scale, maxBytes: pageBytes);

        var lease0 = await cache.GetAsync(0, TestContext.Current.CancellationToken);
        var lease5 = await cache.GetAsync(5, TestContext.Current.CancellationToken);
        // Over budget with both leased: nothing is freed, and nothing more is rendered ahead (no room).
        Assert.True(cache.IsCached(0) && cache.IsCached(5));
        Assert.Equal(0, page0.MeanAbsoluteDifference(RgbPicture.From(lease0.Image)));

        lease0.Dispose();
        lease0.Dispose();
        // Unleased and least recently used, page 0 goes; the leased page 5 stays.
        Assert.False(cache.IsCached(0));
        Assert.True(cache.IsCached(5));
        Assert.Throws<ObjectDisposedException>(() => lease0.Image.Address);

        cache.Dispose();
        cache.Dispose();
        Assert.Equal(5, lease5.Image.PageIndex);
        Assert.True(RgbPicture.From(lease5.Image)[lease5.Image.Width / 2, lease5.Image.Height / 2] == (204, 230, 255));
        lease5.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lease5.Image.Address);
        Assert.Throws<ObjectDisposedException>(() => cache.GetAsync(1, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_cache_keeps_no_more_than_its_budget_once_leases_are_released()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 12));
        long pageBytes;
        using (var reference = document.Render(0, Scale)) pageBytes = reference.ByteCount;
        using var cache = new PdfPageCache(document, Scale, maxBytes: 3 * pageBytes);

        for (var i = 0; i < 12; i += 2)
        {
            using var lease = await cache.GetAsync(i, TestContext.Current.CancellationToken);
            Assert.Equal(i, lease.Image.PageIndex);
        }

        // Every render that lands and every lease released evicts down to the budget, a render ahead included.
        Assert.InRange(cache.CachedBytes, pageBytes, 3 * pageBytes);
        Assert.True(cache.IsCached(10));
    }

    [Fact]
    public async Task Callers_on_several_threads_under_a_tight_budget_each_get_the_live_page_they_asked_for()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 20));
        long pageBytes;
        using (var reference = document.Render(0, Scale)) pageBytes = reference.ByteCount;
        using var cache = new PdfPageCache(document, Scale, maxBytes: 2 * pageBytes);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(caller => Task.Run(async () =>
        {
            var random = new Random(caller);
            for (var i = 0; i < 15; i++)
            {
                var pageIndex = random.Next(20);
                using var lease = await cache.GetAsync(pageIndex, TestContext.Current.CancellationToken);
                Assert.Equal(pageIndex, lease.Image.PageIndex);
                Assert.True(RgbPicture.From(lease.Image)[lease.Image.Width / 2, lease.Image.Height / 2] == (204, 230, 255));
            }
        }, TestContext.Current.CancellationToken)));

        Assert.InRange(cache.CachedBytes, 0, 2 * pageBytes);
    }

    [Fact]
    public async Task An_image_handed_out_by_the_cache_cannot_be_freed_by_its_holder()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 2));
        using var cache = new PdfPageCache(document, Scale);
        using var lease = await cache.GetAsync(0, TestContext.Current.CancellationToken);

        lease.Image.Dispose();

        Assert.NotEqual(nint.Zero, lease.Image.Address);
        Assert.Equal(lease.Image.Stride * lease.Image.Height, lease.Image.Pixels.Length);
    }

    [Fact]
    public async Task A_cancelled_request_is_cancelled_and_bad_pages_are_refused()
    {
        using var document = PdfDocument.Open(SamplePdf.Create(pages: 2));
        using var cache = new PdfPageCache(document, Scale);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cache.GetAsync(0, new CancellationToken(canceled: true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.GetAsync(2, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.GetAsync(-1, TestContext.Current.CancellationToken));
    }

    private static RgbPicture SameAs(PdfPageImage image)
    {
        using (image) return RgbPicture.From(image);
    }
}
