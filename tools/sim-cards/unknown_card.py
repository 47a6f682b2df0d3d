"""A card that is neither a bank card nor a social-security card: it refuses every application selection."""
from vcard import SW_INS_NOT_SUPPORTED, SW_NOT_FOUND, run


def handle(apdu):
    return SW_NOT_FOUND if apdu[1] == 0xA4 else SW_INS_NOT_SUPPORTED


if __name__ == "__main__":
    run(bytes.fromhex("3B8F8001804F0CA000000306030001000000006A"), handle)
