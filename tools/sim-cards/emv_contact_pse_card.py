"""A contact-only PBOC (UnionPay) credit card speaking T=0: it has no PPSE, only the contact directory PSE
(1PAY.SYS.DDF01) with its directory records, and every answer that carries data comes the T=0 way (61xx then
GET RESPONSE in chunks, or 6Cxx then the command again with the right Le). Its records hold the full track 1
image (tag 56) and the card risk-management limits that ICCardInfo names (9F53, 9F72, 9F54, 9F75, 9F5C, 9F14, 9F23)."""
from vcard import emv_transaction, SW_INS_NOT_SUPPORTED, SW_NOT_FOUND, SW_OK, T0Card, run, tlv

PSE = b"1PAY.SYS.DDF01"
AID = bytes.fromhex("A000000333010102")
PAN = "9999990000000022"
PDOL = bytes.fromhex("9F1A02 5F2A02 9A03 9C01 9F3704".replace(" ", ""))

PSE_SFI = 3

RECORDS = {
    # The payment system directory (the PSE's SFI): one application.
    (PSE_SFI, 1): tlv("70", tlv("61", tlv("4F", AID) + tlv("50", b"PBOC CREDIT") + tlv("87", b"\x01"))),
    (1, 1): tlv("70", tlv("57", bytes.fromhex(PAN + "D28122201234567890")) + tlv("5F20", b"LI/SI")
                + tlv("56", b"B" + PAN.encode() + b"^LI/SI^2812220000001234567")
                + tlv("9F1F", b"0000001234567")),
    (2, 1): tlv("70", tlv("5A", bytes.fromhex(PAN)) + tlv("5F24", bytes.fromhex("281231")) + tlv("5F25", bytes.fromhex("230101"))
                + tlv("5F34", b"\x00") + tlv("9F62", b"\x00") + tlv("9F61", b"310101198506150024") + tlv("9F0B", "李四".encode("gbk"))),
    (2, 2): tlv("70", tlv("9F14", b"\x03") + tlv("9F23", b"\x09") + tlv("9F53", b"\x05") + tlv("9F72", b"\x0A")),
}

DATA = {
    0x9F36: bytes.fromhex("0007"),          # ATC 7
    0x9F17: bytes.fromhex("02"),            # PIN tries left
    0x9F51: bytes.fromhex("0156"),          # application currency: yuan
    0x9F54: bytes.fromhex("000000050000"),  # cumulative total transaction amount limit 500.00
    0x9F75: bytes.fromhex("000000080000"),  # the same, dual currency: 800.00
    0x9F5C: bytes.fromhex("000000100000"),  # cumulative total transaction amount upper limit 1000.00
}


def handle(apdu):
    cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
    if ins == 0xA4 and p1 == 0x04:
        name = apdu[5:5 + apdu[4]]
        if name == PSE:
            return tlv("6F", tlv("84", PSE) + tlv("A5", tlv("88", bytes([PSE_SFI])) + tlv("5F2D", b"zhen"))) + SW_OK
        if name == AID:
            prop = tlv("50", b"PBOC CREDIT") + tlv("87", b"\x01") + tlv("9F38", PDOL) + tlv("5F2D", b"zhen")
            return tlv("6F", tlv("84", AID) + tlv("A5", prop)) + SW_OK
        return SW_NOT_FOUND  # no PPSE: the contactless directory is not on a contact-only card
    answer = emv_transaction(apdu, 12, RECORDS, DATA)
    if answer is not None:
        return answer
    return SW_INS_NOT_SUPPORTED


if __name__ == "__main__":
    # T=0 only: TS 3B, T0 6A (TB1, TC1, ten historical bytes), no TD1.
    run(bytes.fromhex("3B6A0000") + b"APPLIANCE0", T0Card(handle, chunk=0x20))
