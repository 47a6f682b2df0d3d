namespace Appliance.TestSupport;

/// <summary>Checks that invented card numbers in tests are well-formed, so no test data passes for a malformed (or real) one.</summary>
public static class CardNumbers
{
    /// <summary>ISO/IEC 7812 Luhn check over a primary account number's digits.</summary>
    public static bool HasValidLuhnDigit(string pan)
    {
        if (pan.Length == 0 || pan.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0) return false;
        var sum = 0;
        for (var i = 0; i < pan.Length; i++)
        {
            var d = pan[pan.Length - 1 - i] - '0';
            if (i % 2 == 1 && (d *= 2) > 9) d -= 9;
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>The issuer range the simulators and card emulators use: 999999 is no bank's BIN.</summary>
    public const string TestIssuerPrefix = "999999";
}
