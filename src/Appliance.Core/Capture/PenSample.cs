namespace Appliance.Core.Capture;

/// <summary>
/// One raw pen sample in window pixels: pressure 0..1, <paramref name="Millis"/> since the first touch, tilt in degrees
/// when the pen reports it, and whether the pen was down. A stroke is a run of <paramref name="PenDown"/> samples; the
/// sample that ends it (pen lifted, or left the area where ink is drawn) has <paramref name="PenDown"/> false.
/// </summary>
public readonly record struct PenSample(float X, float Y, float Pressure, long Millis, float? TiltX = null, float? TiltY = null, bool PenDown = true);
