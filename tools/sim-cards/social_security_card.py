"""A Chinese social-security card (社会保障卡): the SSSE directory ("sx1.sh.社会保障") with the public files
EF05 (card data) and EF06 (holder data); each item is a record numbered by its tag, stored tag-length-value."""
from vcard import SW_INS_NOT_SUPPORTED, SW_NOT_FOUND, SW_OK, SW_RECORD_NOT_FOUND, run

SSSE = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")

FILES = {
    0xEF05: {
        0x01: b"310100D156000005",           # card distinguish code
        0x02: b"1",                          # card type
        0x03: b"3.00",                       # specification version
        0x04: b"310100000001",               # issuing (initialising) institution
        0x05: bytes.fromhex("20200101"),     # issued
        0x06: bytes.fromhex("20300101"),     # valid until
        0x07: b"M12345678",                  # card number
    },
    0xEF06: {
        0x08: b"310101199001011234",         # social-security number
        0x09: "李四".encode("gbk").ljust(30, b"\x00"),
        0x0A: b"2",                          # sex: female
        0x0B: b"\x01",                       # nation: Han
        0x0C: bytes.fromhex("310101"),       # birthplace (region code)
        0x0D: bytes.fromhex("19900101"),     # birthday
    },
}

state = {"df": False, "ef": None}


def handle(apdu):
    ins, p1, p2 = apdu[1], apdu[2], apdu[3]
    if ins == 0xA4 and p1 == 0x04:
        if apdu[5:5 + apdu[4]] == SSSE:
            state["df"] = True
            return bytes([0x6F, 0x11, 0x84, 0x0F]) + SSSE + SW_OK
        return SW_NOT_FOUND
    if ins == 0xA4 and p1 == 0x02 and state["df"]:
        fid = apdu[5] << 8 | apdu[6]
        if fid in FILES:
            state["ef"] = fid
            return SW_OK
        return SW_NOT_FOUND
    if ins == 0xB2 and p2 == 0x04 and state["ef"] is not None:
        value = FILES[state["ef"]].get(p1)
        return bytes([p1, len(value)]) + value + SW_OK if value is not None else SW_RECORD_NOT_FOUND
    return SW_INS_NOT_SUPPORTED


if __name__ == "__main__":
    run(bytes.fromhex("3B6D00000081B0FE00000000000000000000"), handle)
