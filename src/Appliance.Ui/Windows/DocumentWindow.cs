using System.Threading.Channels;
using Appliance.Core.Documents;
using Appliance.Core.Screen;
using Appliance.Documents.Pdf.Rendering;
using Appliance.Ui.Composition;
using Appliance.Ui.Text;
using SkiaSharp;

namespace Appliance.Ui.Windows;

/// <summary>
/// The document window of <c>show_sign_pdf</c> (seed 003 §9.6), the whole screen: a caption (the document's short hash,
/// the signer, what the pen does now), one page at a time rendered ahead by poppler, and a row of large buttons (pages,
/// zoom, pen mode, sign, cancel, finish). The pen scrolls a page larger than the view (drag), asks for a signature where
/// it presses long (drag) or taps (sign), or writes notes (remark). Signatures placed are drawn on their pages.
/// </summary>
internal sealed class DocumentWindow : Window
{
    /// <summary>Pressing this long without moving asks for a signature there.</summary>
    public static readonly TimeSpan LongPress = TimeSpan.FromMilliseconds(800);

    /// <summary>A touch that moves farther than this (px) is a drag, not a tap or a long press.</summary>
    private const float Slop = 12;

    private const string PrevId = "prev", NextId = "next", ZoomOutId = "zoom-out", ZoomInId = "zoom-in", ModeId = "mode",
        SignId = "sign", CancelId = "cancel", FinishId = "finish";

    private static readonly SKColor CaptionBackground = new(0xF2, 0xF2, 0xF2), CaptionText = new(0x1A, 0x1A, 0x1A),
        Desk = new(0x5A, 0x5A, 0x5A), RemarkInk = new(0x00, 0x3C, 0xB4);

    private readonly FontSet _fonts;
    private readonly DocumentViewOptions _options;
    private readonly double _printedScale;
    private readonly int _captionHeight, _toolbarHeight;
    private readonly List<ButtonView> _buttons = [];
    private readonly ButtonTracker _tracker = new();
    private readonly Channel<DocumentRequest> _requests = Channel.CreateBounded<DocumentRequest>(
        new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Dictionary<int, List<(DocumentStamp Stamp, SKBitmap Picture)>> _stamps = [];
    private readonly Dictionary<int, List<List<SKPoint>>> _notes = [];
    private readonly ITimer? _longPressTimer;
    private readonly Lock _gate;
    private PdfDocument _document;
    private string _caption;
    private DocumentPenMode _mode;
    private DocumentZoom _zoom;
    private PdfPageCache? _cache;
    private double _scale;
    private int _page;
    private PdfPageLease? _shown;
    private SKBitmap? _shownBitmap;
    private float _scrollX, _scrollY;
    private int? _failedPage;
    private bool _closed;

    // The touch on the page in progress.
    private bool _touching, _moved, _longPressFired;
    private SKPoint _touchStart, _touchLast;
    private List<SKPoint>? _stroke;

    /// <param name="gate">The compositor's lock: pages rendered in the background and the long-press timer arrive under it,
    /// also before the window is added (its first page may be ready first).</param>
    public DocumentWindow(PixelRect bounds, DocumentViewOptions options, PdfDocument document, FontSet fonts, int minTarget, double pixelsPerMm,
        TimeProvider time, Lock gate) : base(bounds)
    {
        _gate = gate;
        _options = options;
        _document = document;
        _caption = options.Caption;
        _fonts = fonts;
        _mode = options.Mode;
        _zoom = options.Zoom;
        // 50 % (no_zoom) is the page at its printed size on this panel: points are 1/72 inch.
        _printedScale = pixelsPerMm * 25.4 / 72;
        var line = fonts.SizeOf(20) * 1.5f;
        _captionHeight = (int)Math.Ceiling(line * 2 + 8);
        var rowHeight = (int)Math.Max(minTarget * 1.4, fonts.SizeOf(20) * 2.6f);
        var buttons = options.SigningAllowed && !options.LongPressSigns ? 8 : 7;
        var columns = Math.Clamp((bounds.Width - 8) / MinButtonWidth, 1, buttons);
        _toolbarHeight = (buttons + columns - 1) / columns * rowHeight + 8;
        _longPressTimer = time.CreateTimer(_ => OnLongPress(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        LayOutButtons();
        OpenPage(options.StartPage);
        ScrollToSignHere();
    }

    /// <summary>A page taller than the window opens scrolled so the first 签名处 / Sign here box on it is in view.</summary>
    private void ScrollToSignHere()
    {
        if (_options.SignHere.FirstOrDefault(b => b.Page == _page) is not { } box) return;
        var page = PageRect();
        var area = PageArea;
        var centre = (float)((box.Top + box.Height / 2) * page.Height);
        ScrollBy(0, centre - area.Height / 2f);
    }

    public override int Layer => 8;

    public override IReadOnlyList<ButtonView> Buttons => _buttons;

    public ChannelReader<DocumentRequest> Requests => _requests.Reader;

    /// <summary>While another window is on top (the signature pad), the pen is ignored here.</summary>
    public bool Paused { get; set; }

    private PixelRect PageArea => new(0, _captionHeight, Bounds.Width, Bounds.Height - _toolbarHeight);

    // ------------------------------------------------------------ layout

    /// <summary>A button narrower than this wraps the row (a portrait panel gets two rows).</summary>
    private const int MinButtonWidth = 150;

    private void LayOutButtons()
    {
        _buttons.Clear();
        var labels = new List<(string Id, string Text)>
        {
            (PrevId, "上一页 Prev"), (NextId, "下一页 Next"), (ZoomOutId, "缩小 Smaller"), (ZoomInId, "放大 Larger"), (ModeId, ModeLabel(_mode)),
        };
        if (_options.SigningAllowed && !_options.LongPressSigns) labels.Add((SignId, "签名 Sign"));
        labels.Add((CancelId, _options.CancelLabel));
        labels.Add((FinishId, _options.SigningAllowed ? "完成 Finish" : "关闭 Close"));
        const int pad = 8;
        var columns = Math.Clamp((Bounds.Width - pad) / MinButtonWidth, 1, labels.Count);
        var rows = (labels.Count + columns - 1) / columns;
        var rowHeight = (_toolbarHeight - pad) / rows;
        var width = (Bounds.Width - pad) / (float)columns;
        var toolbarTop = Bounds.Height - _toolbarHeight + pad;
        for (var i = 0; i < labels.Count; i++)
        {
            var (id, text) = labels[i];
            var (row, column) = (i / columns, i % columns);
            var top = toolbarTop + row * rowHeight;
            var rect = new PixelRect((int)(pad + column * width), top, (int)(pad + (column + 1) * width) - pad, top + rowHeight - pad);
            var colour = id == FinishId ? new UiColor(0x1B, 0x5E, 0x20, 0xFF) : id == SignId ? new UiColor(0x0D, 0x47, 0xA1, 0xFF) : new UiColor(0x42, 0x42, 0x42, 0xFF);
            _buttons.Add(new ButtonView(id, rect, text, 20, UiColor.White, colour));
        }
    }

    private static string ModeLabel(DocumentPenMode mode) => mode switch
    {
        DocumentPenMode.Drag => "拖动 Move",
        DocumentPenMode.Sign => "签名笔 Sign pen",
        _ => "批注 Notes",
    };

    private string Hint => (_mode, _options.SigningAllowed, _options.LongPressSigns) switch
    {
        (DocumentPenMode.Remark, _, _) => "用笔在页面上批注 Write notes on the page",
        (_, false, _) => "阅读文档 Read the document",
        (DocumentPenMode.Sign, true, _) => "点按要签名的位置 Tap where you sign",
        (DocumentPenMode.Drag, true, true) => "长按要签名的位置 Press and hold where you sign",
        _ => "点 签名 按钮签名 Tap Sign to sign",
    };

    // ------------------------------------------------------------ pages

    private double ScaleFor(int page)
    {
        var size = _document.PageSize(page);
        var area = PageArea;
        var scale = _zoom.Kind switch
        {
            DocumentZoomKind.FitWidth => (area.Width - 16) / size.Width,
            DocumentZoomKind.FitHeight => (area.Height - 16) / size.Height,
            _ => _printedScale * _zoom.Percent / 50.0,
        };
        // One page never takes more than the whole budget (a long strip at fit-width, a poster at 100 %): drawn smaller.
        var largest = Math.Sqrt(MaxCacheBytes / 4.0 / (size.Width * size.Height));
        return Math.Min(scale, largest);
    }

    /// <summary>Shows page <paramref name="page"/> (rendering it if the cache has not yet), at the top of its scroll.</summary>
    private void OpenPage(int page)
    {
        _page = Math.Clamp(page, 0, _document.PageCount - 1);
        var scale = ScaleFor(_page);
        // What is on screen goes at once: a page shown under another page's number could be signed unseen.
        ReleaseShown();
        _failedPage = null;
        if (_cache is null || Math.Abs(scale - _scale) > 1e-6)
        {
            Retire(_cache, null);
            _scale = scale;
            _cache = new PdfPageCache(_document, scale, CacheBudget(_document.PageSize(_page), scale));
        }
        (_scrollX, _scrollY) = (0, 0);
        var cache = _cache;
        var wanted = _page;
        _ = cache.GetAsync(wanted, CancellationToken.None).AsTask().ContinueWith(t => Arrived(cache, wanted, t), TaskScheduler.Default);
        InvalidateAll();
    }

    private void Arrived(PdfPageCache cache, int page, Task<PdfPageLease> rendered)
    {
        lock (_gate)
        {
            if (rendered.IsCanceled || _closed || cache != _cache || page != _page)
            {
                if (rendered.IsCompletedSuccessfully) rendered.Result.Dispose();
                return;
            }
            if (rendered.IsFaulted)
            {
                _failedPage = page; // said on the page, not "loading" for ever
                InvalidateAll();
                Owner?.Render();
                return;
            }
            ReleaseShown();
            _shown = rendered.Result;
            var image = _shown.Image;
            _shownBitmap = new SKBitmap();
            _shownBitmap.InstallPixels(new SKImageInfo(image.Width, image.Height, SKColorType.Bgra8888, SKAlphaType.Premul), image.Address, image.Stride);
            InvalidateAll();
            Owner?.Render(); // not yet on screen: it is drawn with this page when added
        }
    }

    /// <summary>
    /// Disposes a cache (and a document) off the compositor's lock: a cache's disposal waits for the page being rendered,
    /// and poppler cannot be interrupted, so waiting here would freeze every window on the screen.
    /// </summary>
    private static void Retire(PdfPageCache? cache, PdfDocument? document)
    {
        if (cache is null && document is null) return;
        _ = Task.Run(() =>
        {
            cache?.Dispose();
            document?.Dispose();
        });
    }

    private void ReleaseShown()
    {
        _shownBitmap?.Dispose();
        _shownBitmap = null;
        _shown?.Dispose();
        _shown = null;
    }

    /// <summary>Most bytes of rendered pages kept for the window, whatever the document (docs/BUDGETS.md).</summary>
    public const long MaxCacheBytes = 48L << 20;

    /// <summary>
    /// The page shown and the two beside it, rendered ahead; never above <see cref="MaxCacheBytes"/> unless one page alone
    /// is larger (a high zoom), and then that page only: the cache renders no neighbour it has no room for.
    /// </summary>
    private static long CacheBudget(PdfPageSize page, double scale)
    {
        var pageBytes = (long)Math.Ceiling(page.Width * scale + 1) * (long)Math.Ceiling(page.Height * scale + 1) * 4;
        return Math.Max(pageBytes, Math.Min(3 * pageBytes, MaxCacheBytes));
    }

    /// <summary>Where the page's top-left is drawn (window pixels) and its size, with the scroll applied.</summary>
    private SKRect PageRect()
    {
        var size = _document.PageSize(_page);
        var (w, h) = ((float)(size.Width * _scale), (float)(size.Height * _scale));
        var area = PageArea;
        var left = w <= area.Width ? area.Left + (area.Width - w) / 2 : area.Left - _scrollX;
        var top = h <= area.Height ? area.Top + 8 : area.Top - _scrollY;
        return SKRect.Create(left, top, w, h);
    }

    private void ScrollBy(float dx, float dy)
    {
        var page = PageRect();
        var area = PageArea;
        _scrollX = Math.Clamp(_scrollX + dx, 0, Math.Max(0, page.Width - area.Width));
        _scrollY = Math.Clamp(_scrollY + dy, 0, Math.Max(0, page.Height - area.Height));
        Invalidate(area);
    }

    // ------------------------------------------------------------ what the flow asks

    public void AddStamp(DocumentStamp stamp)
    {
        if (stamp.Png.Length == 0) return; // Skia's decoder throws on no bytes at all
        var picture = SKBitmap.Decode(stamp.Png);
        if (picture is null) return;
        if (stamp.Crop?.Within(picture.Width, picture.Height) is { } c)
        {
            var cropped = new SKBitmap();
            if (picture.ExtractSubset(cropped, SKRectI.Create(c.Left, c.Top, c.Width, c.Height)))
            {
                // The subset shares the decoded pixels: copied so the decoded picture can go.
                var copy = cropped.Copy();
                cropped.Dispose();
                picture.Dispose();
                picture = copy;
            }
            else cropped.Dispose();
        }
        if (!_stamps.TryGetValue(stamp.Page, out var list)) _stamps[stamp.Page] = list = [];
        list.Add((stamp, picture));
        InvalidateAll();
    }

    public void Replace(PdfDocument document, string caption)
    {
        ReleaseShown();
        Retire(_cache, _document);
        _cache = null;
        _document = document;
        _caption = caption;
        foreach (var list in _stamps.Values) foreach (var (_, picture) in list) picture.Dispose();
        _stamps.Clear();
        _notes.Clear();
        // What the person asked of the old document does not apply to the new one.
        while (_requests.Reader.TryRead(out _)) { }
        OpenPage(0);
    }

    // ------------------------------------------------------------ drawing

    public override void Draw(SKCanvas canvas, PixelRect dirty)
    {
        using var paint = new SKPaint { IsAntialias = true };
        var area = PageArea;
        paint.Color = Desk;
        canvas.DrawRect(area.ToSk(), paint);
        canvas.Save();
        canvas.ClipRect(area.ToSk());
        var page = PageRect();
        if (_shownBitmap is { } bitmap)
        {
            // Rendered at the scale shown: one pixel to one pixel, no resampling.
            canvas.DrawPixels(bitmap, SKRect.Create(page.Left, page.Top, bitmap.Width, bitmap.Height), new SKSamplingOptions(SKFilterMode.Nearest));
        }
        else
        {
            paint.Color = SKColors.White;
            canvas.DrawRect(page, paint);
            using var font = _fonts.Font(22);
            paint.Color = CaptionText;
            canvas.DrawCentredText(_failedPage == _page ? "此页无法显示 This page cannot be shown" : "正在加载 Loading",
                new SKRect(page.Left, page.Top, page.Right, Math.Min(page.Bottom, area.Bottom)), font, paint);
        }
        DrawSignHere(canvas, page);
        if (_stamps.TryGetValue(_page, out var stamps))
            foreach (var (stamp, picture) in stamps)
                canvas.DrawPixels(picture, SKRect.Create(page.Left + (float)(stamp.Left * page.Width), page.Top + (float)(stamp.Top * page.Height),
                    (float)(stamp.Width * page.Width), (float)(stamp.Height * page.Height)), new SKSamplingOptions(SKFilterMode.Linear));
        if (_notes.TryGetValue(_page, out var notes)) DrawNotes(canvas, page, notes);
        canvas.Restore();

        paint.Color = CaptionBackground;
        canvas.DrawRect(new SKRect(0, 0, Bounds.Width, _captionHeight), paint);
        paint.Color = CaptionText;
        using (var font = _fonts.Font(20))
        {
            var line = (_captionHeight - 8) / 2f;
            var pageLabel = $"第 {_page + 1}/{_document.PageCount} 页 Page {_page + 1} of {_document.PageCount}";
            var pageWidth = font.MeasureText(pageLabel) + 24;
            canvas.DrawFittedText(_caption, new SKRect(16, 4, Bounds.Width - pageWidth - 16, 4 + line), font, paint, _fonts.MinSize, SKTextAlign.Left);
            canvas.DrawFittedText(pageLabel, new SKRect(Bounds.Width - pageWidth, 4, Bounds.Width - 16, 4 + line), font, paint, _fonts.MinSize, SKTextAlign.Right);
            canvas.DrawFittedText(Hint, new SKRect(16, 4 + line, Bounds.Width - 16, 4 + 2 * line), font, paint, _fonts.MinSize, SKTextAlign.Left);
        }
        paint.Color = CaptionBackground;
        canvas.DrawRect(new SKRect(0, Bounds.Height - _toolbarHeight, Bounds.Width, Bounds.Height), paint);
        foreach (var b in _buttons) b.Draw(canvas, _fonts);
    }

    private static readonly SKColor SignHereInk = new(0x0D, 0x47, 0xA1);

    /// <summary>The signer's boxes, outlined, with 签名处 / Sign here inside until a stamp covers them.</summary>
    private void DrawSignHere(SKCanvas canvas, SKRect page)
    {
        if (_options.SignHere.Count == 0) return;
        using var outline = new SKPaint { IsAntialias = true, Color = SignHereInk, Style = SKPaintStyle.Stroke, StrokeWidth = 3 };
        using var dashes = SKPathEffect.CreateDash([10, 6], 0);
        outline.PathEffect = dashes;
        using var text = new SKPaint { IsAntialias = true, Color = SignHereInk };
        var signed = _stamps.ContainsKey(_page);
        foreach (var box in _options.SignHere.Where(b => b.Page == _page))
        {
            var rect = SKRect.Create(page.Left + (float)(box.Left * page.Width), page.Top + (float)(box.Top * page.Height),
                (float)(box.Width * page.Width), (float)(box.Height * page.Height));
            canvas.DrawRect(rect, outline);
            if (signed) continue;
            using var font = _fonts.Font(20);
            canvas.DrawFittedText("签名处 Sign here", rect, font, text, _fonts.MinSize, SKTextAlign.Center);
        }
    }

    private static void DrawNotes(SKCanvas canvas, SKRect page, List<List<SKPoint>> notes)
    {
        using var pen = new SKPaint { IsAntialias = true, Color = RemarkInk, Style = SKPaintStyle.Stroke, StrokeWidth = 3, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round };
        foreach (var stroke in notes)
        {
            if (stroke.Count == 0) continue;
            using var builder = new SKPathBuilder();
            builder.MoveTo(page.Left + stroke[0].X * page.Width, page.Top + stroke[0].Y * page.Height);
            foreach (var p in stroke.Skip(1)) builder.LineTo(page.Left + p.X * page.Width, page.Top + p.Y * page.Height);
            if (stroke.Count == 1) builder.LineTo(page.Left + stroke[0].X * page.Width + 0.5f, page.Top + stroke[0].Y * page.Height);
            using var path = builder.Snapshot();
            canvas.DrawPath(path, pen);
        }
    }

    // ------------------------------------------------------------ pen

    public override void OnPen(in PenInput input)
    {
        if (Paused || _closed)
        {
            _touching = false;
            _longPressTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var (x, y) = (input.X, input.Y);
        var startsOnButton = input.Touching && !_touching && !_tracker.WasTouching && _buttons.Any(b => b.Rect.Contains(x, y));
        if (_tracker.Holding || startsOnButton || (!input.Touching && _tracker.WasTouching && !_touching))
        {
            var clicked = _tracker.Track(_buttons, x, y, input.Touching, out var changed);
            if (!changed.IsEmpty) Invalidate(changed);
            if (clicked is not null) Click(clicked.Id);
            return;
        }
        if (input.Touching && !_touching)
        {
            if (!PageArea.Contains(x, y)) return;
            (_touching, _moved, _longPressFired) = (true, false, false);
            _touchStart = _touchLast = new SKPoint(x, y);
            if (_mode == DocumentPenMode.Remark && PageFraction(x, y) is { } start)
            {
                _stroke = [start];
                if (!_notes.TryGetValue(_page, out var notes)) _notes[_page] = notes = [];
                notes.Add(_stroke);
            }
            if (_mode == DocumentPenMode.Drag && _options.SigningAllowed && _options.LongPressSigns)
                _longPressTimer?.Change(LongPress, Timeout.InfiniteTimeSpan);
            return;
        }
        if (!_touching) return;
        if (input.Touching)
        {
            if (!_moved && SKPoint.Distance(_touchStart, new SKPoint(x, y)) > Slop)
            {
                _moved = true;
                _longPressTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            if (_mode == DocumentPenMode.Remark)
            {
                if (_stroke is not null && PageFraction(x, y) is { } p)
                {
                    _stroke.Add(p);
                    Invalidate(PageArea);
                }
            }
            else if (_moved)
            {
                ScrollBy(_touchLast.X - x, _touchLast.Y - y);
            }
            _touchLast = new SKPoint(x, y);
            return;
        }
        // Lifted.
        _touching = false;
        _stroke = null;
        _longPressTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (!_moved && !_longPressFired && _mode == DocumentPenMode.Sign && _options.SigningAllowed) AskToSignAt(_touchStart);
    }

    private void OnLongPress()
    {
        lock (_gate)
        {
            if (!_touching || _moved || Paused || _closed) return;
            _longPressFired = true;
            AskToSignAt(_touchStart);
        }
    }

    private void AskToSignAt(SKPoint point)
    {
        if (PageFraction(point.X, point.Y) is not { } at) return;
        _requests.Writer.TryWrite(new DocumentRequest.SignAt(_page, at.X, at.Y, Placed: true));
    }

    /// <summary>A window point as 0-1 fractions of the page shown; null off the page.</summary>
    private SKPoint? PageFraction(float x, float y)
    {
        var page = PageRect();
        if (!page.Contains(x, y) || !PageArea.Contains(x, y)) return null;
        return new SKPoint((x - page.Left) / page.Width, (y - page.Top) / page.Height);
    }

    private void Click(string id)
    {
        switch (id)
        {
            case PrevId when _page > 0: OpenPage(_page - 1); break;
            case NextId when _page < _document.PageCount - 1: OpenPage(_page + 1); break;
            case ZoomOutId: Zoom(0.8); break;
            case ZoomInId: Zoom(1.25); break;
            case ModeId:
                _mode = _mode switch { DocumentPenMode.Drag => DocumentPenMode.Sign, DocumentPenMode.Sign => DocumentPenMode.Remark, _ => DocumentPenMode.Drag };
                LayOutButtons();
                InvalidateAll();
                break;
            case SignId: _requests.Writer.TryWrite(new DocumentRequest.SignAt(_page, 0, 0, Placed: false)); break;
            case CancelId: _requests.Writer.TryWrite(new DocumentRequest.Cancel()); break;
            case FinishId: _requests.Writer.TryWrite(new DocumentRequest.Finish()); break;
        }
    }

    private void Zoom(double factor)
    {
        // From whatever fits now, in percent of the printed size (1-100 as the seed's preview_zoom).
        var current = _scale / _printedScale * 50;
        _zoom = DocumentZoom.Of((int)Math.Round(Math.Clamp(current * factor, 1, 100)));
        OpenPage(_page);
    }

    public override void OnClosed()
    {
        _closed = true;
        _longPressTimer?.Dispose();
        _requests.Writer.TryComplete();
        ReleaseShown();
        Retire(_cache, _document);
        _cache = null;
        foreach (var list in _stamps.Values) foreach (var (_, picture) in list) picture.Dispose();
    }
}
