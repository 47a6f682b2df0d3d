namespace Appliance.Documents.Pdf.Rendering;

/// <summary>
/// Rendered pages of one document at one scale, kept under a memory budget. The page asked for is rendered first; then
/// its neighbours (next, previous, next but one) are rendered ahead so that turning a page finds it ready. All rendering
/// happens on one background worker, which is what a poppler document allows anyway (it is used under one lock).
/// Images are reference-counted by <see cref="PdfPageLease"/>: a leased image is never freed; unleased ones are
/// evicted least recently used first once the cache holds more than its budget.
/// </summary>
public sealed class PdfPageCache : IDisposable
{
    private readonly PdfDocument _document;
    private readonly double _scale;
    private readonly long _maxBytes;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Entry> _entries = [];
    // Pages a caller awaits, first asked first rendered; they always go before the pages rendered ahead.
    private readonly Queue<Entry> _demanded = new();
    // Neighbours of the page asked for last; replaced at every request so that leafing quickly does not pile up work.
    private readonly List<int> _ahead = new(3);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;
    private long _cachedBytes;
    private long _useClock;
    private int _renderedCount;
    private bool _disposed;

    /// <param name="document">Rendered from, not owned: dispose it after the cache.</param>
    /// <param name="scale">Pixels per point (150 dpi is 150/72).</param>
    /// <param name="maxBytes">Pixel memory the cache keeps without leases; leased pages and a page a caller waits for may exceed it.</param>
    public PdfPageCache(PdfDocument document, double scale, long maxBytes = 64L << 20)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!double.IsFinite(scale) || scale <= 0) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be a positive number of pixels per point");
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        _document = document;
        _scale = scale;
        _maxBytes = maxBytes;
        _worker = Task.Run(RenderPagesAsync);
    }

    /// <summary>Pages rendered so far, those asked for and those rendered ahead, counting a page again if it was evicted and rendered anew.</summary>
    public int RenderedCount => Volatile.Read(ref _renderedCount);

    /// <summary>Pixel memory of the rendered pages the cache holds, leased or not.</summary>
    public long CachedBytes
    {
        get { lock (_gate) return _cachedBytes; }
    }

    /// <summary>
    /// Page <paramref name="pageIndex"/>, rendered now if the cache does not hold it; then its neighbours are rendered in the
    /// background. Dispose the lease when the page is off screen. <paramref name="ct"/> stops the wait, not the render.
    /// </summary>
    public ValueTask<PdfPageLease> GetAsync(int pageIndex, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pageIndex, _document.PageCount);
        if (ct.IsCancellationRequested) return ValueTask.FromCanceled<PdfPageLease>(ct);

        Entry entry;
        bool rendered;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(pageIndex, out entry!))
            {
                entry = new Entry(pageIndex);
                _entries.Add(pageIndex, entry);
                _demanded.Enqueue(entry);
            }
            // Held from now, not from when the render ends, so that the render cannot be evicted before its caller sees it.
            entry.Holds++;
            entry.LastUse = ++_useClock;
            rendered = entry.Image is not null;
            ScheduleNeighbours(pageIndex);
        }
        _wake.Release();
        return rendered ? ValueTask.FromResult(new PdfPageLease(this, entry, entry.Image!)) : WaitForRenderAsync(entry, ct);
    }

    /// <summary>True when page <paramref name="pageIndex"/> is rendered and held by the cache.</summary>
    internal bool IsCached(int pageIndex)
    {
        lock (_gate) return _entries.TryGetValue(pageIndex, out var entry) && entry.Image is not null;
    }

    private async ValueTask<PdfPageLease> WaitForRenderAsync(Entry entry, CancellationToken ct)
    {
        try
        {
            var image = await entry.Rendered.Task.WaitAsync(ct).ConfigureAwait(false);
            return new PdfPageLease(this, entry, image);
        }
        catch
        {
            Release(entry);
            throw;
        }
    }

    private void ScheduleNeighbours(int pageIndex)
    {
        _ahead.Clear();
        foreach (var neighbour in (ReadOnlySpan<int>)[pageIndex + 1, pageIndex - 1, pageIndex + 2])
        {
            if (neighbour >= 0 && neighbour < _document.PageCount && !_entries.ContainsKey(neighbour)) _ahead.Add(neighbour);
        }
    }

    private async Task RenderPagesAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (true)
            {
                await _wake.WaitAsync(stopping).ConfigureAwait(false);
                while (!stopping.IsCancellationRequested && TakeWork() is { } entry) Render(entry);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed: the cache has already let go of its pages.
        }
    }

    /// <summary>The next page to render: one a caller waits for, else a neighbour that fits the budget; null when there is none.</summary>
    private Entry? TakeWork()
    {
        while (true)
        {
            int candidate;
            lock (_gate)
            {
                if (_disposed) return null;
                if (_demanded.TryDequeue(out var demanded)) return demanded;
                if (_ahead.Count == 0) return null;
                candidate = _ahead[0];
                _ahead.RemoveAt(0);
                if (_entries.ContainsKey(candidate)) continue;
            }

            // Sized outside the cache's lock: it takes the document's, which a render may hold for a while.
            long bytes;
            try
            {
                bytes = _document.RenderedByteCount(candidate, _scale);
            }
            catch (Exception)
            {
                // A page poppler cannot measure is not worth rendering ahead; asked for, it fails to its caller.
                continue;
            }

            lock (_gate)
            {
                if (_disposed) return null;
                if (_entries.ContainsKey(candidate)) continue;
                // Rendering ahead never pushes out pages someone is looking at: skip it when the leased pages leave no room.
                if (HeldBytes() + bytes > _maxBytes) continue;
                var entry = new Entry(candidate);
                _entries.Add(candidate, entry);
                return entry;
            }
        }
    }

    private void Render(Entry entry)
    {
        PdfPageImage image;
        try
        {
            image = _document.Render(entry.PageIndex, _scale, ownedByCache: true);
        }
        catch (Exception e)
        {
            // Whatever went wrong is the waiting caller's to see; the worker goes on serving the other pages.
            lock (_gate) _entries.Remove(entry.PageIndex);
            entry.Rendered.TrySetException(e);
            return;
        }
        Interlocked.Increment(ref _renderedCount);

        lock (_gate)
        {
            if (_disposed)
            {
                image.Release();
                entry.Rendered.TrySetException(new ObjectDisposedException(nameof(PdfPageCache)));
                return;
            }
            entry.Image = image;
            entry.LastUse = ++_useClock;
            _cachedBytes += image.ByteCount;
            EvictOverBudget();
        }
        entry.Rendered.TrySetResult(image);
    }

    internal void Release(Entry entry)
    {
        lock (_gate)
        {
            entry.Holds--;
            if (entry.Holds > 0) return;
            if (_disposed)
            {
                // The cache let go of its pages when it was disposed; the last lease frees this one.
                entry.Image?.Release();
                return;
            }
            EvictOverBudget();
        }
    }

    private void EvictOverBudget()
    {
        while (_cachedBytes > _maxBytes)
        {
            Entry? leastRecentlyUsed = null;
            foreach (var entry in _entries.Values)
            {
                if (entry.Image is not null && entry.Holds == 0 && (leastRecentlyUsed is null || entry.LastUse < leastRecentlyUsed.LastUse))
                    leastRecentlyUsed = entry;
            }
            if (leastRecentlyUsed is null) return;
            _entries.Remove(leastRecentlyUsed.PageIndex);
            _cachedBytes -= leastRecentlyUsed.Image!.ByteCount;
            leastRecentlyUsed.Image.Release();
        }
    }

    private long HeldBytes()
    {
        long bytes = 0;
        foreach (var entry in _entries.Values)
        {
            if (entry.Holds > 0 && entry.Image is not null) bytes += entry.Image.ByteCount;
        }
        return bytes;
    }

    /// <summary>Stops the worker (after the page it is rendering) and frees every page no lease holds; leased pages are freed by their last lease.</summary>
    public void Dispose()
    {
        List<Entry> unfinished = [];
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var entry in _entries.Values)
            {
                if (entry.Image is null) unfinished.Add(entry);
                else if (entry.Holds == 0) entry.Image.Release();
            }
            _entries.Clear();
            _demanded.Clear();
            _ahead.Clear();
            _cachedBytes = 0;
        }
        foreach (var entry in unfinished) entry.Rendered.TrySetException(new ObjectDisposedException(nameof(PdfPageCache)));

        _stopping.Cancel();
        // Waited for so that nothing renders from the document once Dispose returns (the caller disposes it next).
        _worker.GetAwaiter().GetResult();
        _stopping.Dispose();
        _wake.Dispose();
    }

    /// <summary>One page: its render while it is under way, then its image, and how many leases and waiting callers hold it.</summary>
    internal sealed class Entry(int pageIndex)
    {
        public int PageIndex { get; } = pageIndex;
        public TaskCompletionSource<PdfPageImage> Rendered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public PdfPageImage? Image { get; set; }
        public int Holds { get; set; }
        public long LastUse { get; set; }
    }
}
