namespace Appliance.Ui;

/// <summary>
/// A shown floating button group (§9.15): tells which button was tapped (<c>sign=getfloatingbuttongroupresult</c>
/// reads <see cref="LastClicked"/>). Clicks are raised on the pen thread.
/// </summary>
public sealed class FloatingButtonGroup
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<string> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _last;

    /// <summary>The <c>content</c> of the last button tapped, or null before any tap.</summary>
    public string? LastClicked { get { lock (_gate) return _last; } }

    public event Action<string>? Clicked;

    /// <summary>Waits for the next tap and returns its button's <c>content</c>.</summary>
    public Task<string> WaitForClickAsync(CancellationToken cancellationToken) =>
        _next.Task.WaitAsync(cancellationToken);

    internal void Raise(string content)
    {
        TaskCompletionSource<string> next;
        lock (_gate)
        {
            _last = content;
            next = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        next.TrySetResult(content);
        Clicked?.Invoke(content);
    }
}
