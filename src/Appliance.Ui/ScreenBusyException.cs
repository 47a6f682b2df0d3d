namespace Appliance.Ui;

/// <summary>A second window of a kind that allows only one (signature, evaluation) was asked for.</summary>
public sealed class ScreenBusyException(string message) : InvalidOperationException(message);
