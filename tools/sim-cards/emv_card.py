"""An EMV / PBOC (UnionPay) debit card with an electronic-cash purse, answering the APDUs a terminal sends:
SELECT PPSE, SELECT AID, GET PROCESSING OPTIONS, READ RECORD, GET DATA, and one transaction-log record."""
from vcard import emv_transaction, SW_INS_NOT_SUPPORTED, SW_NOT_FOUND, SW_OK, run, tlv

AID = bytes.fromhex("A000000333010101")
PAN = "9999990000000000014"
PDOL = bytes.fromhex("9F66 04 9F02 06 9F37 04 5F2A 02".replace(" ", ""))
LOG_FORMAT = bytes.fromhex("9A03 9F2103 9F0206 9F0306 9F1A02 5F2A02 9F4E14 9C01 9F3602".replace(" ", ""))


def bcd(digits):
    if len(digits) % 2:
        digits += "F"
    return bytes.fromhex(digits)


RECORDS = {
    (1, 1): tlv("70", tlv("57", bcd(PAN + "D4912201" + "1234567890")) + tlv("5F20", b"ZHANG/SAN") + tlv("9F1F", b"000000201000")),
    (2, 1): tlv("70", tlv("5A", bcd(PAN)) + tlv("5F24", bytes.fromhex("491231")) + tlv("5F25", bytes.fromhex("191201"))
                + tlv("5F34", b"\x01") + tlv("9F62", b"\x00") + tlv("9F61", b"110101199001011237") + tlv("9F0B", "张三".encode("gbk"))),
    (2, 2): tlv("70", tlv("9F42", bytes.fromhex("0156")) + tlv("5F28", bytes.fromhex("0156"))),
    # Transaction log (SFI 11): newest first, laid out by LOG_FORMAT.
    (11, 1): bytes.fromhex("251120" "143015" "000000001000" "000000000000" "0156" "0156") + b"SHOP 001".ljust(20, b" ") + b"\x00" + bytes.fromhex("0022"),
}

DATA = {
    0x9F79: bytes.fromhex("000000012345"),  # EC balance 123.45
    0x9F77: bytes.fromhex("000000100000"),  # EC balance limit 1000.00
    0x9F78: bytes.fromhex("000000050000"),  # EC single transaction limit 500.00
    0x9F6D: bytes.fromhex("000000100000"),  # EC reset threshold
    0x9F36: bytes.fromhex("0023"),          # ATC 35
    0x9F13: bytes.fromhex("0020"),
    0x9F17: bytes.fromhex("03"),            # PIN tries left
    0x9F51: bytes.fromhex("0156"),          # application currency: yuan
    0x9F4F: LOG_FORMAT,
}


def handle(apdu):
    cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
    if ins == 0xA4 and p1 == 0x04:
        name = apdu[5:5 + apdu[4]]
        if name == b"2PAY.SYS.DDF01":
            entry = tlv("61", tlv("4F", AID) + tlv("50", b"PBOC DEBIT") + tlv("87", b"\x01"))
            return tlv("6F", tlv("84", name) + tlv("A5", tlv("BF0C", entry))) + SW_OK
        if name == AID:
            prop = tlv("50", b"PBOC DEBIT") + tlv("87", b"\x01") + tlv("9F38", PDOL) + tlv("BF0C", tlv("9F4D", bytes([11, 10])))
            return tlv("6F", tlv("84", AID) + tlv("A5", prop)) + SW_OK
        return SW_NOT_FOUND
    answer = emv_transaction(apdu, 16, RECORDS, DATA)
    if answer is not None:
        return answer
    return SW_INS_NOT_SUPPORTED


if __name__ == "__main__":
    run(bytes.fromhex("3B6800000073C84013009000"), handle)
