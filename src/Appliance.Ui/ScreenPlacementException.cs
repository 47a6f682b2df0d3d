namespace Appliance.Ui;

/// <summary>A window placed where the screen cannot show it; the message (Chinese and English) is fit for the page.</summary>
public sealed class ScreenPlacementException(string message) : ArgumentException(message);
