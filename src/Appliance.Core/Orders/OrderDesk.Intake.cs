using System.Security.Cryptography;
using Appliance.Core.Capture;
using Appliance.Core.Journal;
using Appliance.Core.Session;
using Microsoft.Extensions.Logging;

namespace Appliance.Core.Orders;

/// <summary>The desk's intake: an order checked (whatever its shape), its placements resolved, stored, and started when it may.</summary>
public sealed partial class OrderDesk
{
    // ------------------------------------------------------------ intake

    /// <summary>Checks and stores a new order; starts it on the counter when it asks to and the terminal is idle.</summary>
    public OrderView Accept(OrderIntake intake)
    {
        Check(intake);
        var now = _time.GetUtcNow();
        var validFor = intake.ValidFor ?? OrderLimits.DefaultValidity;
        if (validFor <= TimeSpan.Zero || validFor > OrderLimits.MaxValidity)
            throw new OrderException(OrderFailure.BadParameter, $"expiry: 1..{OrderLimits.MaxValidity.TotalMinutes:0} minutes, found {validFor.TotalMinutes:0}");
        var signers = intake.Content == OrderContentKind.Pdf ? ResolvePlacements(intake) : [.. intake.Signers.Select(s => ToSigner(s, []))];
        OrderView view;
        lock (_gate)
        {
            if (_store.FindByNumber(intake.Caller, intake.OrderNumber) is { } existing)
            {
                if (existing.State == OrderState.Signed)
                    throw new OrderException(OrderFailure.AlreadySigned, $"order {intake.OrderNumber} was already signed (signid {existing.Id})");
                if (!existing.State.IsFinal())
                    throw new OrderException(OrderFailure.BeingSigned, $"order {intake.OrderNumber} is being signed (signid {existing.Id}, {existing.State})");
                // An order number whose order was refused, expired or revoked may be placed again: a new order with a new id.
            }
            if (_store.List().Count(o => !o.State.IsFinal()) >= OrderLimits.MaxOpenOrders)
                throw new OrderException(OrderFailure.TooManyOrders, $"the terminal keeps at most {OrderLimits.MaxOpenOrders} open orders");
            // What the order may come to take: the document as received and its latest signed version (earlier ones are dropped).
            var needs = intake.Content == OrderContentKind.Pdf ? 2L * intake.Bytes.Length + intake.Signers.Count * (1L << 20) : intake.Bytes.Length + 64 * 1024;
            if (needs > _options.MaxBytes)
                throw new OrderException(OrderFailure.TooLarge, $"the order needs about {needs >> 20} MiB, more than orders:maxBytes ({_options.MaxBytes >> 20} MiB)");
            if (_store.Bytes + needs > _options.MaxBytes)
                throw new OrderException(OrderFailure.TooManyOrders, $"the terminal's storage for orders is full ({_store.Bytes >> 20} of {_options.MaxBytes >> 20} MiB); ended orders go after orders:keepHours");
            var order = new SigningOrder
            {
                Id = "SO_" + Guid.CreateVersion7().ToString(),
                Caller = intake.Caller,
                Shape = intake.Shape,
                OrderNumber = intake.OrderNumber,
                Subject = intake.Subject,
                FileName = intake.FileName,
                Content = intake.Content,
                Algorithm = intake.Algorithm,
                Signers = signers,
                CreatedAt = now,
                ExpiresAt = now + validFor,
                CallbackUrl = intake.CallbackUrl,
                CallbackPin = intake.CallbackPin,
                ShapeJson = intake.ShapeJson,
                AutoStart = intake.AutoStart && _options.AutoStart,
            };
            view = _store.Add(order, intake.Bytes, now);
        }
        _log.LogInformation("order {Id} ({Shape} {Number}) accepted from {Caller}: {Signers} signer(s), {Bytes} bytes, expires {Expires:O}",
            view.Id, view.Order.Shape, view.Order.OrderNumber, view.Order.Caller, view.Order.Signers.Count, intake.Bytes.Length, view.Order.ExpiresAt);
        Changed?.Invoke(view);
        if (view.Order.AutoStart) TryStart(view.Id, byOperator: false);
        return _store.Find(view.Id)!;
    }

    private static void Check(OrderIntake intake)
    {
        if (string.IsNullOrWhiteSpace(intake.OrderNumber)) throw new OrderException(OrderFailure.OrderNumberEmpty, "orderNumber: empty");
        // Every text is kept in memory with its order, drawn on the screen and written into the evidence: bounded.
        Bounded("orderNumber", intake.OrderNumber, OrderLimits.MaxNumberLength);
        if (intake.OrderNumber.Any(char.IsControl)) throw new OrderException(OrderFailure.BadParameter, "orderNumber: control characters are not allowed");
        Bounded("subject", intake.Subject, OrderLimits.MaxTextLength);
        Bounded("file name", intake.FileName, OrderLimits.MaxTextLength);
        Bounded("callback", intake.CallbackUrl, 2048);
        Bounded("the shape's request", intake.ShapeJson, 64 * 1024);
        if (intake.CallbackPin.Length > 0 && (intake.CallbackPin.Length != 64 || !intake.CallbackPin.All(Uri.IsHexDigit)))
            throw new OrderException(OrderFailure.BadParameter, "callbackPin: expected the receiver certificate's SHA-256 as 64 hex digits");
        if (intake.Signers.Count is 0 or > OrderLimits.MaxSigners)
            throw new OrderException(OrderFailure.SignerCount, $"signers: 1..{OrderLimits.MaxSigners}, found {intake.Signers.Count}");
        if (intake.Bytes.Length == 0) throw new OrderException(OrderFailure.BadParameter, "the document (or data) is empty");
        if (intake.Content != OrderContentKind.Pdf && intake.Bytes.Length > OrderLimits.MaxDataBytes)
            throw new OrderException(OrderFailure.TooLarge, $"data: at most {OrderLimits.MaxDataBytes} bytes, found {intake.Bytes.Length}");
        foreach (var (s, i) in intake.Signers.Select((s, i) => (s, i + 1)))
        {
            Bounded($"signer {i}: name", s.Name, OrderLimits.MaxNameLength);
            Bounded($"signer {i}: number", s.Number, OrderLimits.MaxNumberLength);
            Bounded($"signer {i}: account", s.Account, OrderLimits.MaxNameLength);
            if (s.StampPng is { Length: > 0 } seal && PictureHeader.Problem(seal) is { } problem)
                throw new OrderException(OrderFailure.BadParameter, $"signer {i}: the seal picture (stampbase) {problem}");
            if (s.Kind == SignerKind.Person && string.IsNullOrWhiteSpace(s.Name)) throw new OrderException(OrderFailure.PersonNameEmpty, $"signer {i}: the person's name is empty");
            if (s.Kind == SignerKind.Organisation && string.IsNullOrWhiteSpace(s.Name)) throw new OrderException(OrderFailure.OrganisationNameEmpty, $"signer {i}: the organisation's name is empty");
            if (s.Kind == SignerKind.Organisation && string.IsNullOrWhiteSpace(s.Number)) throw new OrderException(OrderFailure.OrganisationNumberEmpty, $"signer {i}: the registration number is empty");
            if (s.VerifyIdCard && string.IsNullOrWhiteSpace(s.Number)) throw new OrderException(OrderFailure.PersonNumberEmpty, $"signer {i}: the ID check needs the person's ID number");
            if (s.VerifyIdCard && s.Kind != SignerKind.Person) throw new OrderException(OrderFailure.BadParameter, $"signer {i}: only a person proves identity with an ID card");
            if (intake.Content == OrderContentKind.Pdf && s.Placements.Count is 0 or > OrderLimits.MaxPlacements)
                throw new OrderException(OrderFailure.BadParameter, $"signer {i}: 1..{OrderLimits.MaxPlacements} placements, found {s.Placements.Count}");
        }
        if (intake.CallbackUrl.Length > 0 && !Uri.TryCreate(intake.CallbackUrl, UriKind.Absolute, out var url) | url is not { Scheme: "https" or "http" })
            throw new OrderException(OrderFailure.BadParameter, $"callback: \"{intake.CallbackUrl}\" is not an http(s) URL");
    }

    private static void Bounded(string what, string text, int max)
    {
        if (text.Length > max) throw new OrderException(OrderFailure.BadParameter, $"{what}: at most {max} characters, found {text.Length}");
    }

    private List<OrderSigner> ResolvePlacements(OrderIntake intake)
    {
        using var layout = _layouts.Open(intake.Bytes);
        return [.. intake.Signers.Select(s => ToSigner(s, [.. s.Placements.SelectMany(p => OrderPlacements.Resolve(p, layout)).Take(OrderLimits.MaxPlacements)]))];
    }

    private static OrderSigner ToSigner(SignerIntake s, IReadOnlyList<OrderPlacement> placements) => new()
    {
        Kind = s.Kind, Name = s.Name.Trim(), Number = s.Number.Trim(), Account = s.Account, Placements = placements,
        VerifyIdCard = s.VerifyIdCard, Fingerprint = s.Fingerprint, StampPng = s.StampPng is { Length: > 0 } ? s.StampPng : null,
    };
}
