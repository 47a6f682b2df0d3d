using System.Security.Cryptography;
using Appliance.Core.Capture;
using Appliance.Core.Documents;
using Appliance.Core.Screen;
using Appliance.Core.Session;

namespace Appliance.Core.Orders;

/// <summary>The devices a signer meets at the counter.</summary>
public sealed record OrderCounterDevices(IDocumentScreen Documents, ITerminalScreen Screen, IDocumentSigner DocumentSigner, IDataSigner DataSigner,
    IIdCardCapture? IdCard, IFingerprintCapture? Fingerprint);

/// <summary>How one signer's turn at the counter ended.</summary>
public abstract record CounterOutcome
{
    /// <summary>Signed: the document after this signer's digital signature (PDF orders) or the data signature.</summary>
    public sealed record Signed(byte[]? Document, DataSignature? Data, byte[] SignaturePng, bool IdCardChecked) : CounterOutcome;
    public sealed record Refused : CounterOutcome;
    public sealed record IdentityMismatch(string Detail) : CounterOutcome;
}

/// <summary>
/// One signer's turn at the counter, run as the work of a <see cref="TaskKind.SignOrder"/> task: the ID card when the
/// order asks (name and number must match), the document opened at the signer's placements with 签名处 / Sign here
/// outlined, the signature window, the signature (and fingerprint) placed in each box, 完成 / Finish, and the document
/// signed with the device key. DATA / HASH orders show what is signed in the signature window and sign the data.
/// </summary>
public sealed class OrderCounter(SigningOrder order, int signer, byte[] content, OrderCounterDevices devices, int idCardAttempts)
{
    private OrderSigner Signer => order.Signers[signer];

    public async Task<CounterOutcome> RunAsync(CancellationToken cancel)
    {
        var checkedCard = false;
        if (Signer.VerifyIdCard)
        {
            if (await CheckIdentityAsync(cancel).ConfigureAwait(false) is { } mismatch) return mismatch;
            checkedCard = true;
        }
        return order.Content == OrderContentKind.Pdf
            ? await SignDocumentAsync(checkedCard, cancel).ConfigureAwait(false)
            : await SignDataAsync(checkedCard, cancel).ConfigureAwait(false);
    }

    /// <summary>Who signs, as the screen says it: "张三 (2/3)".</summary>
    private string SignerLabel => order.Signers.Count > 1 ? $"{Signer.Name} ({signer + 1}/{order.Signers.Count})" : Signer.Name;

    private async Task<CounterOutcome?> CheckIdentityAsync(CancellationToken cancel)
    {
        var reader = devices.IdCard ?? throw new CaptureException(CaptureFailure.DeviceAbsent, "此终端没有身份证阅读器 / this terminal has no ID-card reader");
        var detail = "";
        for (var attempt = 1; attempt <= idCardAttempts; attempt++)
        {
            var again = attempt > 1 ? $"身份证与签署人不符，请重试 ({attempt}/{idCardAttempts}) / The card is not the signer's, try again" : "";
            devices.Screen.ShowPrompt(new ScreenPrompt($"请 {Signer.Name} 放置身份证 / {Signer.Name}, place your ID card on the reader", again));
            var card = await reader.ReadAsync(new IdCardReadRequest(), cancel).ConfigureAwait(false);
            if (Matches(card)) return null;
            detail = $"card {Mask(card.IdNumber)} ({card.Name}) is not the signer's {Mask(Signer.Number)} ({Signer.Name})";
            // The card must be lifted before the next read, or the same card reads again at once.
            await Task.Delay(TimeSpan.FromSeconds(1), cancel).ConfigureAwait(false);
        }
        return new CounterOutcome.IdentityMismatch(detail);
    }

    private bool Matches(IdCardRead card) =>
        card.Name.Trim() == Signer.Name.Trim()
        && string.Equals(card.IdNumber.Trim(), Signer.Number.Trim(), StringComparison.OrdinalIgnoreCase); // the check digit X in either case

    /// <summary>Only the last four digits of an ID number go to the log and the caller.</summary>
    public static string Mask(string number) => number.Length <= 4 ? new string('*', number.Length) : new string('*', number.Length - 4) + number[^4..];

    private async Task<CounterOutcome> SignDocumentAsync(bool checkedCard, CancellationToken cancel)
    {
        var boxes = Signer.Placements.Select(p => new DocumentBox(p.Page, p.Left, p.Top, p.Width, p.Height)).ToList();
        var subject = string.IsNullOrWhiteSpace(order.Subject) ? order.FileName : order.Subject;
        var options = new DocumentViewOptions
        {
            Pdf = content,
            Caption = $"{subject}   签署人 / Signer {SignerLabel}   文档 / Document {DocumentSigning.ShortHash(content)}",
            LongPressSigns = false,
            StartPage = boxes.Count > 0 ? boxes[0].Page : 0,
            SignHere = boxes,
            CancelLabel = "拒签 Refuse",
        };
        using var view = await devices.Documents.ShowDocumentAsync(options, cancel).ConfigureAwait(false);
        SignatureOutcome.Confirmed? signed = null;
        FingerprintPicture? finger = null;
        List<DocumentStamp> stamps = [];
        while (true)
        {
            switch (await view.NextRequestAsync(cancel).ConfigureAwait(false))
            {
                case DocumentRequest.Cancel:
                    return new CounterOutcome.Refused();
                case DocumentRequest.SignAt when signed is null:
                    view.Paused = true;
                    try
                    {
                        var pad = new SignatureWindowOptions { TipMessage = new TipMessage { Content = $"签署人 / Signer {SignerLabel}", FontSize = 24 } };
                        if (await devices.Screen.ShowSignatureAsync(pad, cancel).ConfigureAwait(false) is not SignatureOutcome.Confirmed done) break;
                        if (Signer.Fingerprint) finger = await CaptureFingerAsync(cancel).ConfigureAwait(false);
                        signed = done;
                        stamps = Stamps(view, done, finger);
                        foreach (var stamp in stamps) view.AddStamp(stamp);
                    }
                    finally
                    {
                        view.Paused = false;
                    }
                    break;
                case DocumentRequest.Finish when signed is not null:
                    return await SealAsync(signed, finger, stamps, checkedCard, cancel).ConfigureAwait(false);
            }
        }
    }

    private async Task<FingerprintPicture> CaptureFingerAsync(CancellationToken cancel)
    {
        var sensor = devices.Fingerprint ?? throw new CaptureException(CaptureFailure.DeviceAbsent, "此终端没有指纹仪 / this terminal has no fingerprint sensor");
        devices.Screen.ShowPrompt(new ScreenPrompt("请按手指 / Place your finger on the sensor", ""));
        try { return await sensor.CaptureAsync(cancel).ConfigureAwait(false); }
        finally { devices.Screen.ShowIdle(); }
    }

    /// <summary>The signature fitted (aspect kept, centred) into each placement; the organisation's seal over it; the fingerprint beside.</summary>
    private List<DocumentStamp> Stamps(IDocumentView view, SignatureOutcome.Confirmed signed, FingerprintPicture? finger)
    {
        List<DocumentStamp> stamps = [];
        var ink = InkArea(signed);
        foreach (var box in Signer.Placements)
        {
            var (pageWidth, pageHeight) = view.PageSize(box.Page);
            var fitted = Fit(box, ink.Width / (double)ink.Height, pageWidth, pageHeight);
            stamps.Add(fitted with { Png = signed.Png, Crop = ink });
            if (Signer.StampPng is { Length: > 0 } seal) stamps.Add(new DocumentStamp(box.Page, box.Left, box.Top, box.Width, box.Height, seal));
            if (finger is not null) stamps.Add(DocumentStamp.Beside(box.Page, box.Left, box.Top, box.Width, box.Height, pageWidth, pageHeight, finger.Png));
        }
        return stamps;
    }

    /// <summary>Where the ink is on the pad (its samples' extent and a margin for the pen's width): what fills the signer's box.</summary>
    public static PictureCrop InkArea(SignatureOutcome.Confirmed signed)
    {
        const int margin = 12;
        var inked = signed.Samples.Where(s => s.PenDown).ToList();
        if (inked.Count == 0) return new PictureCrop(0, 0, signed.Width, signed.Height);
        var left = (int)Math.Max(0, inked.Min(s => s.X) - margin);
        var top = (int)Math.Max(0, inked.Min(s => s.Y) - margin);
        var right = (int)Math.Min(signed.Width, Math.Ceiling(inked.Max(s => s.X)) + margin);
        var bottom = (int)Math.Min(signed.Height, Math.Ceiling(inked.Max(s => s.Y)) + margin);
        // A stroke that is one line (a dash) still gets a box a third as tall as wide, so it is not stretched into a bar.
        var width = Math.Max(1, right - left);
        var height = Math.Min(signed.Height, Math.Max(bottom - top, width / 3));
        top = Math.Clamp((top + bottom - height) / 2, 0, signed.Height - height);
        return new PictureCrop(left, top, width, Math.Max(1, height));
    }

    /// <summary>The largest box of the picture's aspect (width / height in page points) inside the placement, centred.</summary>
    public static DocumentStamp Fit(OrderPlacement box, double aspect, double pageWidth, double pageHeight)
    {
        var boxW = box.Width * pageWidth;
        var boxH = box.Height * pageHeight;
        var (w, h) = boxW / boxH > aspect ? (boxH * aspect, boxH) : (boxW, boxW / aspect);
        return new DocumentStamp(box.Page, box.Left + (boxW - w) / 2 / pageWidth, box.Top + (boxH - h) / 2 / pageHeight, w / pageWidth, h / pageHeight, []);
    }

    private async Task<CounterOutcome> SealAsync(SignatureOutcome.Confirmed signed, FingerprintPicture? finger, List<DocumentStamp> stamps, bool checkedCard, CancellationToken cancel)
    {
        devices.Screen.ShowPrompt(new ScreenPrompt("正在签署文档 / Signing the document", ""));
        try
        {
            var signatureStamps = stamps.Where(s => ReferenceEquals(s.Png, signed.Png)).ToList();
            var placed = signatureStamps.Select((s, i) => new PlacedSignature(i, s, null, signed, finger?.Png, true, order.FileName)).ToList();
            var evidence = new DocumentEvidence(DocumentEvidenceJson.Write(content, Signer.Name, placed), Signer.Name);
            var document = await devices.DocumentSigner.SignAsync(content, stamps, evidence, cancel).ConfigureAwait(false);
            return new CounterOutcome.Signed(document.Pdf, null, signed.Png, checkedCard);
        }
        finally
        {
            devices.Screen.ShowIdle();
        }
    }

    private async Task<CounterOutcome> SignDataAsync(bool checkedCard, CancellationToken cancel)
    {
        var what = string.IsNullOrWhiteSpace(order.Subject) ? "" : order.Subject;
        var digest = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
        var window = new SignatureWindowOptions
        {
            TipMessage = new TipMessage { Content = $"{what}   签署人 / Signer {SignerLabel}   数据 / Data {digest}", FontSize = 24 },
            ReturnButton = SignButtonOptions.DefaultReturn with { Text = "拒签", Visible = true },
        };
        var outcome = await devices.Screen.ShowSignatureAsync(window, cancel).ConfigureAwait(false);
        if (outcome is not SignatureOutcome.Confirmed signed) return new CounterOutcome.Refused();
        devices.Screen.ShowPrompt(new ScreenPrompt("正在签署 / Signing", ""));
        try
        {
            var signature = await devices.DataSigner.SignAsync(content, order.Content, order.Algorithm, cancel).ConfigureAwait(false);
            return new CounterOutcome.Signed(null, signature, signed.Png, checkedCard);
        }
        finally
        {
            devices.Screen.ShowIdle();
        }
    }
}
