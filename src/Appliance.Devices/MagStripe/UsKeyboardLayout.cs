namespace Appliance.Devices.MagStripe;

/// <summary>
/// Linux key codes (linux/input-event-codes.h) to the ASCII a US keyboard types, plain and with Shift. Keyboard-wedge
/// readers emit the US layout whatever the host's layout is, and the kernel reports key positions, not characters,
/// so this table is the whole translation. Keypad keys are included: some readers type digits on the keypad.
/// </summary>
internal static class UsKeyboardLayout
{
    private static readonly (char Plain, char Shifted)[] Keys = Build();

    /// <summary>The character key <paramref name="code"/> types, or null when it types none (modifiers, function keys).</summary>
    public static char? Character(ushort code, bool shift)
    {
        if (code >= Keys.Length || Keys[code].Plain == '\0') return null;
        return shift ? Keys[code].Shifted : Keys[code].Plain;
    }

    private static (char, char)[] Build()
    {
        var keys = new (char, char)[99];
        void Row(int firstCode, string plain, string shifted)
        {
            for (var i = 0; i < plain.Length; i++) keys[firstCode + i] = (plain[i], shifted[i]);
        }
        Row(2, "1234567890-=", "!@#$%^&*()_+");   // KEY_1 .. KEY_EQUAL
        Row(16, "qwertyuiop[]", "QWERTYUIOP{}");  // KEY_Q .. KEY_RIGHTBRACE
        Row(30, "asdfghjkl;'`", "ASDFGHJKL:\"~"); // KEY_A .. KEY_GRAVE
        Row(43, "\\zxcvbnm,./", "|ZXCVBNM<>?");   // KEY_BACKSLASH .. KEY_SLASH
        Row(55, "*", "*");                        // KEY_KPASTERISK
        Row(57, " ", " ");                        // KEY_SPACE
        Row(71, "789-456+1230.", "789-456+1230."); // KEY_KP7 .. KEY_KPDOT (Num Lock on, as readers assume)
        Row(98, "/", "/");                        // KEY_KPSLASH
        return keys;
    }
}
