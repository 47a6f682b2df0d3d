namespace Appliance.Devices.Pen;

/// <summary>
/// Turns a stream of <see cref="InputEvent"/>s into <see cref="PenSample"/>s, one per SYN_REPORT, the way evdev
/// frames them: axis and key events update the pen's state; SYN_REPORT publishes it. After SYN_DROPPED the
/// kernel's buffer overran: every event up to and including the next SYN_REPORT is discarded (libevdev's rule), and
/// the next frame starts from the last known state, with the pen lifted unless the device says otherwise.
/// </summary>
public sealed class InputEventFramer
{
    private int _x, _y, _pressure;
    private int? _tiltX, _tiltY;
    private bool _touching, _inRange, _dropping, _changed;

    /// <summary>How many SYN_DROPPED the device reported.</summary>
    public long DroppedReports { get; private set; }

    /// <summary>Feeds one event; returns true and the completed sample when it was a SYN_REPORT that ends a frame.</summary>
    public bool Feed(in InputEvent e, out PenSample sample)
    {
        sample = default;
        switch (e.Type)
        {
            case InputCodes.EV_SYN when e.Code == InputCodes.SYN_DROPPED:
                DroppedReports++;
                _dropping = true;
                return false;
            case InputCodes.EV_SYN when e.Code == InputCodes.SYN_REPORT:
                if (_dropping)
                {
                    // Resynchronise: what was lost may include a pen-up; never draw a line across the gap.
                    _dropping = false;
                    _touching = false;
                    _changed = false;
                    return false;
                }
                if (!_changed) return false;
                _changed = false;
                sample = new PenSample(_x, _y, _pressure, _tiltX, _tiltY, _touching, _inRange || _touching, e.TimestampMicroseconds);
                return true;
            case InputCodes.EV_ABS when !_dropping:
                switch (e.Code)
                {
                    case InputCodes.ABS_X or InputCodes.ABS_MT_POSITION_X: _x = e.Value; break;
                    case InputCodes.ABS_Y or InputCodes.ABS_MT_POSITION_Y: _y = e.Value; break;
                    case InputCodes.ABS_PRESSURE or InputCodes.ABS_MT_PRESSURE: _pressure = e.Value; break;
                    case InputCodes.ABS_TILT_X: _tiltX = e.Value; break;
                    case InputCodes.ABS_TILT_Y: _tiltY = e.Value; break;
                    default: return false;
                }
                _changed = true;
                return false;
            case InputCodes.EV_KEY when !_dropping:
                switch (e.Code)
                {
                    case InputCodes.BTN_TOUCH: _touching = e.Value != 0; break;
                    case InputCodes.BTN_TOOL_PEN: _inRange = e.Value != 0; if (!_inRange) _touching = false; break;
                    default: return false;
                }
                _changed = true;
                return false;
            default:
                return false;
        }
    }
}
