namespace Appliance.Core.Orders;

/// <summary>Why an order was refused or ended; each shape maps these to its seed's codes (docs/PROTOCOLS.md "Signing orders").</summary>
public enum OrderFailure
{
    /// <summary>A parameter is missing or malformed (the message names it).</summary>
    BadParameter,
    /// <summary>Seed 002 -46: the caller's order number was already signed.</summary>
    AlreadySigned,
    /// <summary>Seed 002 -47: the caller's order number is being signed (not ended).</summary>
    BeingSigned,
    /// <summary>Seed 002 -48: no signer, or more than <see cref="OrderLimits.MaxSigners"/>.</summary>
    SignerCount,
    /// <summary>Seed 002 -49: a signType other than 1 or 2.</summary>
    SignerKind,
    /// <summary>Seed 002 -51.</summary>
    OrganisationNameEmpty,
    /// <summary>Seed 002 -52.</summary>
    OrganisationNumberEmpty,
    /// <summary>Seed 002 -53.</summary>
    PersonNameEmpty,
    /// <summary>Seed 002 -54.</summary>
    PersonNumberEmpty,
    /// <summary>Seed 002 -55.</summary>
    OrderNumberEmpty,
    /// <summary>Seed 002 -56: no file format, or not pdf.</summary>
    FileFormat,
    /// <summary>The document is not a PDF the terminal can open (malformed, encrypted), or a placement is off its pages.</summary>
    BadDocument,
    /// <summary>A placement's text (seed 001 placeHolder, seed 004 keyword) is not in the document.</summary>
    PlacementNotFound,
    /// <summary>The document or data is larger than the terminal accepts.</summary>
    TooLarge,
    /// <summary>Seed 004 89003002: no order with that id for this caller.</summary>
    UnknownOrder,
    /// <summary>Seed 004 89003008: the order expired.</summary>
    Expired,
    /// <summary>Seed 004 89003009 / 89005024: the order was already signed (or ended), so it cannot change.</summary>
    AlreadyEnded,
    /// <summary>The signer refused on the terminal (seed 004 REFUSE).</summary>
    Refused,
    /// <summary>Seed 004 89005099: the ID card read is not the signer's.</summary>
    IdentityMismatch,
    /// <summary>Seed 004 89005025: the caller revoked the order.</summary>
    Revoked,
    /// <summary>Another task holds the terminal's screen.</summary>
    TerminalBusy,
    /// <summary>The terminal keeps no more open orders (<see cref="OrderLimits.MaxOpenOrders"/>).</summary>
    TooManyOrders,
    /// <summary>The terminal failed (signing key, storage); the log has the details.</summary>
    Internal,
}

public sealed class OrderException(OrderFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public OrderFailure Failure { get; } = failure;
}

public static class OrderLimits
{
    /// <summary>Signers per order.</summary>
    public const int MaxSigners = 10;
    /// <summary>Placements per signer.</summary>
    public const int MaxPlacements = 20;
    /// <summary>Orders not yet ended kept at once.</summary>
    public const int MaxOpenOrders = 200;
    /// <summary>Order numbers, ID and registration numbers.</summary>
    public const int MaxNumberLength = 64;
    /// <summary>Signers' names and accounts.</summary>
    public const int MaxNameLength = 128;
    /// <summary>A subject or a file name (seed 002 cuts a subject at 256).</summary>
    public const int MaxTextLength = 256;
    /// <summary>An organisation's seal picture: bytes and each side in pixels.</summary>
    public const int MaxSealBytes = 1 << 20, MaxSealSide = 4096;
    /// <summary>Seed 004: a DATA / HASH job's data is at most 1 MiB.</summary>
    public const int MaxDataBytes = 1 << 20;
    /// <summary>Seed 004: jobs live 1440 minutes by default, 4320 at most.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromMinutes(1440), MaxValidity = TimeSpan.FromMinutes(4320);
}
