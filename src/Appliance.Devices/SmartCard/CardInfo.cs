namespace Appliance.Devices.SmartCard;

/// <summary>
/// What an IC bank card carries, named as seed 003 §4.4's ICCardInfo. Only what the card holds is filled;
/// the rest stays null (the wire leaves it out). Mapping to EMV/PBOC tags: SmartCard/README.md.
/// </summary>
public sealed class IcCardInfo
{
    public string? CardNumber { get; set; }
    public string? AccountNumber { get; set; }
    public string? Name { get; set; }
    public string? CertificatesType { get; set; }
    public string? CertificatesNo { get; set; }
    public string? Track1 { get; set; }
    public string? Track2 { get; set; }
    public string? Track3 { get; set; }
    public string? Balance { get; set; }
    public string? BalanceLimit { get; set; }
    public string? EffectiveDate { get; set; }
    public string? SerialNumber { get; set; }
    public string? CurrencyCode { get; set; }
    public string? PinRetryTime { get; set; }
    public string? ExpiryDate { get; set; }
    public string? Atc { get; set; }
    public string? NameExtend { get; set; }
    public string? SingleTradingLimit { get; set; }
    public string? ResetThreshold { get; set; }
    public string? TransactionLimitNumber_I_N { get; set; }
    public string? TransactionLimitNumber_I_C { get; set; }
    public string? TradingLimitNumber { get; set; }
    public string? TradingLimitNumber_Double { get; set; }
    public string? TransactionAmountUpperLimit { get; set; }
    public string? CurrencyConversionFactor { get; set; }
    public string? TradingFloor { get; set; }
    public string? TradingCeiling { get; set; }
    public string? AppLock { get; set; }
    public string? IcCardAID { get; set; }
    public string? AuthorizedAmount { get; set; }
    public string? OtherAmount { get; set; }
    public string? TransactionCurrencyCode { get; set; }
    public string? TransactionDate { get; set; }
    public string? TransactionTime { get; set; }
    public string? MerchantNumber { get; set; }

    /// <summary>Field name → value, in the seed's order, only those present.</summary>
    public IEnumerable<(string Name, string Value)> Fields()
    {
        (string, string?)[] all =
        [
            (nameof(CardNumber), CardNumber), (nameof(AccountNumber), AccountNumber), (nameof(Name), Name),
            (nameof(CertificatesType), CertificatesType), (nameof(CertificatesNo), CertificatesNo),
            (nameof(Track1), Track1), (nameof(Track2), Track2), (nameof(Track3), Track3),
            (nameof(Balance), Balance), (nameof(BalanceLimit), BalanceLimit), (nameof(EffectiveDate), EffectiveDate),
            (nameof(SerialNumber), SerialNumber), (nameof(CurrencyCode), CurrencyCode), (nameof(PinRetryTime), PinRetryTime),
            (nameof(ExpiryDate), ExpiryDate), (nameof(Atc), Atc), (nameof(NameExtend), NameExtend),
            (nameof(SingleTradingLimit), SingleTradingLimit), (nameof(ResetThreshold), ResetThreshold),
            (nameof(TransactionLimitNumber_I_N), TransactionLimitNumber_I_N), (nameof(TransactionLimitNumber_I_C), TransactionLimitNumber_I_C),
            (nameof(TradingLimitNumber), TradingLimitNumber), (nameof(TradingLimitNumber_Double), TradingLimitNumber_Double),
            (nameof(TransactionAmountUpperLimit), TransactionAmountUpperLimit), (nameof(CurrencyConversionFactor), CurrencyConversionFactor),
            (nameof(TradingFloor), TradingFloor), (nameof(TradingCeiling), TradingCeiling), (nameof(AppLock), AppLock),
            (nameof(IcCardAID), IcCardAID), (nameof(AuthorizedAmount), AuthorizedAmount), (nameof(OtherAmount), OtherAmount),
            (nameof(TransactionCurrencyCode), TransactionCurrencyCode), (nameof(TransactionDate), TransactionDate),
            (nameof(TransactionTime), TransactionTime), (nameof(MerchantNumber), MerchantNumber),
        ];
        foreach (var (name, value) in all)
            if (value is not null) yield return (name, value);
    }
}

/// <summary>Seed 003 §4.3's SocialCardInfo, read from a Chinese social-security card (社会保障卡).</summary>
public sealed record SocialCardInfo(
    string SocialSecurityNumber, string CardNumber, string Name, string Sex, string Nation, string Birthday, string Birthplace,
    string CardDistinguishCode, string SocialSecurityCardType, string CardNormVer, string VisaInstitution, string ValidStart, string ValidEnd)
{
    public IEnumerable<(string Name, string Value)> Fields() =>
    [
        (nameof(SocialSecurityNumber), SocialSecurityNumber), (nameof(CardNumber), CardNumber), (nameof(Name), Name),
        (nameof(Sex), Sex), (nameof(Nation), Nation), (nameof(Birthday), Birthday), (nameof(Birthplace), Birthplace),
        (nameof(CardDistinguishCode), CardDistinguishCode), (nameof(SocialSecurityCardType), SocialSecurityCardType),
        (nameof(CardNormVer), CardNormVer), (nameof(VisaInstitution), VisaInstitution), (nameof(ValidStart), ValidStart), (nameof(ValidEnd), ValidEnd),
    ];
}
