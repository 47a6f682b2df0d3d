namespace Appliance.Core.Orders;

/// <summary>Whose words an order came in, and so the words its result goes out in.</summary>
public enum OrderShape
{
    /// <summary>Seed 002 (WoSignDoc): <c>CreateSignOrder</c> in, <c>PushSignedDoc</c> out (retried until the receiver answers 1).</summary>
    WoSign,
    /// <summary>Seed 001 (InfoPlus SignatureAPI): the <c>Signature</c> type in, <c>POST /signature/{id}</c> with the seals filled out.</summary>
    InfoPlus,
    /// <summary>Seed 004 (BJCA COSS): <c>addSignJob</c> (DATA / HASH, SM3withSM2) in, its callback or <c>getSignResult</c> out.</summary>
    Coss,
}

public enum SignerKind
{
    /// <summary>A person: name and resident-ID number (seed 002 signType 2).</summary>
    Person,
    /// <summary>An organisation: name and registration number (seed 002 signType 1), signed for by its representative.</summary>
    Organisation,
}

/// <summary>What the order asks to be signed.</summary>
public enum OrderContentKind
{
    /// <summary>A PDF: each signer's handwriting lands at their placements; the PDF is digitally signed after each signer.</summary>
    Pdf,
    /// <summary>Seed 004 DATA: bytes signed with the device key (SM3withSM2) once the person consented by hand.</summary>
    Data,
    /// <summary>Seed 004 HASH: a digest signed as given.</summary>
    Hash,
}

/// <summary>
/// A signing order as accepted: immutable once stored (<c>STATE_DIR/orders/ID/order.json</c>); what happened to it since
/// is its <see cref="OrderProgress"/>. Placements are already resolved to boxes on pages.
/// </summary>
public sealed record SigningOrder
{
    /// <summary>The terminal's id of the order: seed 002 <c>signid</c>, seed 004 <c>signJobId</c> / <c>signDataId</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The paired PC's key id (<c>appId</c>) that placed the order: only it may read or revoke it, pushes are signed with its secret.</summary>
    public required string Caller { get; init; }

    public required OrderShape Shape { get; init; }

    /// <summary>The caller's order number, unique per caller (seed 002 <c>orderNumber</c>, seed 001 file id, seed 004 <c>transId</c> or the job id).</summary>
    public required string OrderNumber { get; init; }

    public string Subject { get; init; } = "";

    /// <summary>The file's name as the caller gave it (shown on the terminal, written in the result).</summary>
    public string FileName { get; init; } = "";

    public OrderContentKind Content { get; init; } = OrderContentKind.Pdf;

    /// <summary>Seed 004 <c>algo</c> for DATA / HASH jobs (<c>SM3withSM2</c>); empty for PDFs.</summary>
    public string Algorithm { get; init; } = "";

    /// <summary>The signers in signing order.</summary>
    public required IReadOnlyList<OrderSigner> Signers { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>After this the order can no longer be signed and ends as <see cref="OrderState.Expired"/>.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Where the result is pushed (https); empty: the caller polls.</summary>
    public string CallbackUrl { get; init; } = "";

    /// <summary>SHA-256 (hex) of the receiver's certificate, pinned for this order's callback; empty: the configured CA or system trust.</summary>
    public string CallbackPin { get; init; } = "";

    /// <summary>The shape's own request, kept as JSON to answer in its words (seed 001's Signature object); empty when not needed.</summary>
    public string ShapeJson { get; init; } = "";

    /// <summary>Starts on the counter when it arrives and the terminal is idle (otherwise an operator's <c>start</c>).</summary>
    public bool AutoStart { get; init; } = true;
}

/// <summary>One signer of an order and where they sign.</summary>
public sealed record OrderSigner
{
    public required SignerKind Kind { get; init; }

    /// <summary>The person's or the organisation's name.</summary>
    public required string Name { get; init; }

    /// <summary>Resident-ID number (person) or registration number (organisation).</summary>
    public string Number { get; init; } = "";

    /// <summary>The caller's account for the signer (seed 001 <c>signer.account</c>, seed 004 <c>userId</c>).</summary>
    public string Account { get; init; } = "";

    /// <summary>Boxes where this signer's signature lands (PDF orders: at least one).</summary>
    public IReadOnlyList<OrderPlacement> Placements { get; init; } = [];

    /// <summary>The person proves who they are with their resident ID card: name and number must match.</summary>
    public bool VerifyIdCard { get; init; }

    /// <summary>The signer gives a fingerprint after signing (drawn beside the signature).</summary>
    public bool Fingerprint { get; init; }

    /// <summary>An organisation's seal (PNG) drawn over the representative's signature at each placement (seed 002 <c>stampbase</c>).</summary>
    public byte[]? StampPng { get; init; }
}

/// <summary>A resolved placement: a box on a page in 0-1 fractions of the page, top-left origin (as <see cref="Documents.DocumentStamp"/>).</summary>
public sealed record OrderPlacement(int Page, double Left, double Top, double Width, double Height);
