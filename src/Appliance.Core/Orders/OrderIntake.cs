namespace Appliance.Core.Orders;

/// <summary>An order as a protocol parsed it from its shape, before the desk checks it against the others and the document.</summary>
public sealed record OrderIntake
{
    public required string Caller { get; init; }
    public required OrderShape Shape { get; init; }
    public required string OrderNumber { get; init; }
    public string Subject { get; init; } = "";
    public string FileName { get; init; } = "";
    public OrderContentKind Content { get; init; } = OrderContentKind.Pdf;
    public string Algorithm { get; init; } = "";
    /// <summary>The PDF, or the DATA / HASH bytes.</summary>
    public required byte[] Bytes { get; init; }
    public required IReadOnlyList<SignerIntake> Signers { get; init; }
    /// <summary>How long the order may wait to be signed; null: <see cref="OrderLimits.DefaultValidity"/>.</summary>
    public TimeSpan? ValidFor { get; init; }
    public string CallbackUrl { get; init; } = "";
    public string CallbackPin { get; init; } = "";
    public string ShapeJson { get; init; } = "";
    public bool AutoStart { get; init; } = true;
}

/// <summary>A signer as the caller wrote them: placements not yet resolved.</summary>
public sealed record SignerIntake
{
    public required SignerKind Kind { get; init; }
    public required string Name { get; init; }
    public string Number { get; init; } = "";
    public string Account { get; init; } = "";
    public IReadOnlyList<PlacementSpec> Placements { get; init; } = [];
    public bool VerifyIdCard { get; init; }
    public bool Fingerprint { get; init; }
    public byte[]? StampPng { get; init; }
}

/// <summary>
/// Builds an order's result push in the caller's shape (seed 002 PushSignedDoc, seed 001 <c>POST /signature/{id}</c>,
/// seed 004 callback), signed with the caller's secret (seed 004 §2.5.3). Implemented by the protocols.
/// </summary>
public interface IOrderResultPush
{
    /// <summary>The push for an order that ended; null when the order has no callback (the caller polls).</summary>
    /// <param name="result">Signed PDF orders: the final signed PDF; otherwise null.</param>
    OrderPush? Compose(OrderView ended, byte[]? result);
}

/// <summary>One push as composed: where, what, and what counts as received. Its body is stored and sent unchanged on every retry.</summary>
/// <param name="IdempotencyKey">Order number + ":" + the result's SHA-256 (hex); an order that ended unsigned: order number + ":" + its id + ":" + its end (seed 004 job status).</param>
public sealed record OrderPush(string Url, byte[] Body, PushAcceptance Acceptance, string IdempotencyKey, string Pin = "");

public sealed class OrderOptions
{
    public const string Section = "orders";

    /// <summary>How long one signer may take at the counter before the order goes back to waiting.</summary>
    public int CounterTimeoutSeconds { get; set; } = 600;

    /// <summary>ID-card reads a signer gets before a mismatch ends the order as refused (seed 004 89005099).</summary>
    public int IdCardAttempts { get; set; } = 3;

    /// <summary>Start an order on the counter when it arrives and the terminal is idle.</summary>
    public bool AutoStart { get; set; } = true;

    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>Most bytes the orders may take in the state dir (an order is refused when it would not fit).</summary>
    public long MaxBytes { get; set; } = 256L << 20;

    /// <summary>An ended order is removed this long after it ended, once its result was received (or it had no callback).</summary>
    public int KeepHours { get; set; } = 168;

    /// <summary>An ended order whose push no receiver took is removed after this long all the same (logged as a warning).</summary>
    public int UndeliveredKeepHours { get; set; } = 720;

    /// <summary>PEM file of the CA that callback receivers' certificates must chain to; empty: the system's trust store.</summary>
    public string CallbackCaFile { get; set; } = "";

    /// <summary>SHA-256 pins (hex) of receivers' certificates, accepted whatever their chain.</summary>
    public string[] CallbackPins { get; set; } = [];

    /// <summary>Allow http:// callbacks (an integrator's bench only: a production terminal pushes over https).</summary>
    public bool AllowHttpCallbacks { get; set; }

    public string? Validate()
    {
        if (CounterTimeoutSeconds is < 10 or > 86400) return $"{Section}:counterTimeoutSeconds: expected 10..86400, found {CounterTimeoutSeconds}";
        if (MaxBytes is < 32L << 20 or > 64L << 30) return $"{Section}:maxBytes: expected 32 MiB..64 GiB in bytes, found {MaxBytes}";
        if (KeepHours is < 1 or > 8760) return $"{Section}:keepHours: expected 1..8760, found {KeepHours}";
        if (UndeliveredKeepHours < KeepHours || UndeliveredKeepHours > 8760) return $"{Section}:undeliveredKeepHours: expected keepHours..8760, found {UndeliveredKeepHours}";
        if (IdCardAttempts is < 1 or > 10) return $"{Section}:idCardAttempts: expected 1..10, found {IdCardAttempts}";
        if (Outbox.RetryInitialSeconds is < 0.01 or > 3600) return $"{Section}:outbox:retryInitialSeconds: expected 0.01..3600, found {Outbox.RetryInitialSeconds}";
        if (Outbox.RetryMaxSeconds < Outbox.RetryInitialSeconds || Outbox.RetryMaxSeconds > 86400) return $"{Section}:outbox:retryMaxSeconds: expected retryInitialSeconds..86400, found {Outbox.RetryMaxSeconds}";
        if (CallbackCaFile.Length > 0 && !File.Exists(CallbackCaFile)) return $"{Section}:callbackCaFile: {CallbackCaFile} does not exist";
        foreach (var pin in CallbackPins)
            if (pin.Length != 64 || !pin.All(Uri.IsHexDigit)) return $"{Section}:callbackPins: expected SHA-256 hex (64 digits), found \"{pin}\"";
        return null;
    }
}
