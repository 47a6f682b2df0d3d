using Appliance.Devices.Display;
using Appliance.Devices.Pen;
using Appliance.Ui.Composition;
using Appliance.Ui.Images;
using Appliance.Core.Documents;
using Appliance.Core.Screen;
using Appliance.Documents.Pdf.Rendering;
using Appliance.Ui.Text;
using Appliance.Ui.Windows;
using SkiaSharp;

namespace Appliance.Ui;

/// <summary>Pairing on the screen: the code a PC's pairing request shows, the paired-PCs button, page and revoke dialog.</summary>
public sealed partial class ScreenService
{
    private PairingCodeWindow? _pairingCode;
    private PairedPcsMenu? _pairedPcsMenu;
    private PairedPcsButtonWindow? _pairedPcsButton;
    private PairedPcsWindow? _pairedPcs;

    /// <summary>
    /// Shows a pairing code full screen (above every window but prompts) until <see cref="ClearPairingCode"/>; replaces
    /// another code. Showing the code already on screen again changes nothing. Whoever calls decides whether the
    /// screen is free for it (the host holds it back while a task is on screen).
    /// </summary>
    public void ShowPairingCode(PairingCodeOptions code)
    {
        ArgumentNullException.ThrowIfNull(code);
        lock (_compositor.Gate)
        {
            if (_pairingCode?.Code is { } shown && shown.RequestId == code.RequestId && shown.Code == code.Code) return;
            if (_pairingCode is not null) _compositor.Remove(_pairingCode);
            PairingCodeWindow? window = null;
            window = new PairingCodeWindow(Width, Height, code, _fonts, () =>
            {
                if (_pairingCode != window) return;
                _compositor.Remove(window!);
                _pairingCode = null;
                if (code.Cancel is { } cancel) _afterPen.Add(cancel);
            });
            _pairingCode = window;
            _compositor.Add(window);
            _compositor.Render();
        }
    }

    /// <summary>Takes the pairing code off the screen. False when none is shown.</summary>
    public bool ClearPairingCode()
    {
        lock (_compositor.Gate)
        {
            if (_pairingCode is null) return false;
            _compositor.Remove(_pairingCode);
            _pairingCode = null;
            _compositor.Render();
            return true;
        }
    }

    /// <summary>The pairing code on screen, or null.</summary>
    public PairingCodeOptions? PairingCode { get { lock (_compositor.Gate) return _pairingCode?.Code; } }

    /// <summary>
    /// Gives the idle screen its "配对管理 / Paired PCs" button, which opens the paired-PCs page (list, revoke with
    /// confirmation, back). Null takes the button away and closes the page: the host does that while a task is on screen.
    /// The button hides while the carousel runs.
    /// </summary>
    public void SetPairedPcsMenu(PairedPcsMenu? menu)
    {
        lock (_compositor.Gate)
        {
            if (_pairedPcsMenu == menu) return;
            _pairedPcsMenu = menu;
            if (menu is null) ClosePairedPcsPage();
            UpdatePairedPcsButton();
            _compositor.Render();
        }
    }

    /// <summary>True while the paired-PCs page is on screen.</summary>
    public bool IsPairedPcsPageOpen { get { lock (_compositor.Gate) return _pairedPcs is not null; } }

    /// <summary>Re-reads the list of the open paired-PCs page (a pairing came or went). Call outside any lock of the list's owner.</summary>
    public void RefreshPairedPcs()
    {
        PairedPcsMenu? menu;
        lock (_compositor.Gate)
        {
            if (_pairedPcs is null) return;
            menu = _pairedPcsMenu;
        }
        if (menu is null) return;
        var list = menu.List();
        lock (_compositor.Gate)
        {
            if (_pairedPcs is null || _pairedPcsMenu != menu) return;
            _pairedPcs.SetList(list);
            _compositor.Render();
        }
    }

    private void OpenPairedPcsPage()
    {
        PairedPcsMenu? menu;
        lock (_compositor.Gate) menu = _pairedPcsMenu;
        if (menu is null) return;
        var list = menu.List();
        lock (_compositor.Gate)
        {
            // The menu may have been withdrawn (a task started) while the list was read.
            if (_pairedPcsMenu != menu) return;
            if (_pairedPcs is not null) _pairedPcs.SetList(list);
            else
            {
                _pairedPcs = new PairedPcsWindow(Width, Height, _fonts, list, () =>
                {
                    ClosePairedPcsPage();
                    UpdatePairedPcsButton();
                }, id => _afterPen.Add(() =>
                {
                    menu.Revoke(id);
                    RefreshPairedPcs();
                }));
                _compositor.Add(_pairedPcs);
            }
            UpdatePairedPcsButton();
            _compositor.Render();
        }
    }

    private void ClosePairedPcsPage()
    {
        if (_pairedPcs is null) return;
        _compositor.Remove(_pairedPcs);
        _pairedPcs = null;
    }

    /// <summary>Under the lock: the button is there while a menu is set, the idle screen shows and its page is closed.</summary>
    private void UpdatePairedPcsButton()
    {
        var wanted = _pairedPcsMenu is not null && _carousel is null && _pairedPcs is null;
        if (wanted == (_pairedPcsButton is not null)) return;
        if (wanted)
        {
            _pairedPcsButton = new PairedPcsButtonWindow(Width, Height, _fonts, () => _afterPen.Add(OpenPairedPcsPage));
            _compositor.Add(_pairedPcsButton);
        }
        else
        {
            _compositor.Remove(_pairedPcsButton!);
            _pairedPcsButton = null;
        }
    }
}
