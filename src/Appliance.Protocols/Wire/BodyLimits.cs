namespace Appliance.Protocols.Wire;

/// <summary>
/// How many bytes one request may carry (docs/PROTOCOLS.md "Limits", docs/BUDGETS.md): small for control calls, large
/// only where images or documents travel. Every CameraService route states its limit when it is mapped; the WebSocket
/// message limits come from here too. A body is read into a buffer sized by what arrived, never past its limit.
/// </summary>
public static class BodyLimits
{
    /// <summary>A control call (open, status, a few parameters): the default of every route.</summary>
    public const int Control = 64 * 1024;

    /// <summary><c>param=set</c>: a cache value travels (the store bounds each value and the total itself).</summary>
    public const int Cache = 1024 * 1024;

    /// <summary><c>fp=verify</c>: two fingerprint feature templates, base64 (a few KiB each; room for vendors' larger ones).</summary>
    public const int Features = 1024 * 1024;

    /// <summary>Where an image or document travels as base64 (a background image, a carousel, fingerprint features).</summary>
    public const int Upload = 16 * 1024 * 1024;

    /// <summary>A UOS WebSocket message (its commands carry a few parameters only).</summary>
    public const int UosMessage = 1024 * 1024;

    /// <summary>A PDF to sign, as its bytes (<c>show_sign_pdf</c> reads a file or decodes base64 up to this).</summary>
    public const int Document = 24 * 1024 * 1024;

    /// <summary>A signing order on the admin port (<c>/orders/wosign</c>, <c>/orders/infoplus</c>, <c>verifyPdfSeal</c>): a <see cref="Document"/> as base64 plus JSON.</summary>
    public const int Order = Document * 4 / 3 + Control;

    /// <summary>A seed 004 data call (<c>addSignJob</c>, <c>verifySign</c>, <c>verifySignData</c>): 1 MiB of data and its signature and certificate, base64.</summary>
    public const int OrderData = 2 * 1024 * 1024;

    /// <summary>A CameraService WebSocket message: <c>show_sign_pdf</c> carries a <see cref="Document"/> as base64.</summary>
    public const int CameraServiceMessage = (Document + 2) / 3 * 4 + Control;

    /// <summary>
    /// Of an oversized body, at most this much more is read and dropped (through one 64 KiB buffer: it costs time, not
    /// memory) so the sender reads the code-8 answer rather than a broken pipe; beyond it the answer goes out and the
    /// connection closes.
    /// </summary>
    public const int MaxDrainedBytes = 128 * 1024 * 1024;

    /// <summary>Bodies above <see cref="Control"/> read at once across the process; one more waits up to <see cref="UploadWait"/>.</summary>
    public const int ConcurrentLargeBodies = 2;

    /// <summary>
    /// The process's turns for bodies and WebSocket messages above <see cref="Control"/> (<see cref="ConcurrentLargeBodies"/>
    /// of them): an HTTP body waits up to <see cref="UploadWait"/> and is then answered 9; a WebSocket message just waits
    /// (its sender is slowed by TCP, nothing more is buffered meanwhile).
    /// </summary>
    public static SemaphoreSlim LargeBodies { get; } = new(ConcurrentLargeBodies);

    /// <summary>How long a large body waits for its turn before it is answered 9 (busy).</summary>
    public static readonly TimeSpan UploadWait = TimeSpan.FromSeconds(5);
}
