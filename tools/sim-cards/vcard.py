"""Shared plumbing for the scripted card emulators.

Each card script describes a card as a function from command APDU to response APDU; this module plugs it
into vsmartcard's VirtualICC (python3-virtualsmartcard), which speaks the vpcd socket protocol to pcscd's
virtual reader. Run a card with:  python3 emv_card.py --port 35963 [--vanish-after N]
"""
import argparse
import logging
import os
import sys
import time

try:
    import Crypto  # noqa: F401  (pycryptodome as PyPI ships it)
except ImportError:
    # Debian's python3-pycryptodome installs as "Cryptodome"; virtualsmartcard imports "Crypto".
    import Cryptodome
    sys.modules["Crypto"] = Cryptodome

from virtualsmartcard.VirtualSmartcard import SmartcardOS, VirtualICC  # noqa: E402


def tlv(tag, value):
    """BER-TLV: tag as hex string, value as bytes (lengths up to 65535)."""
    t = bytes.fromhex(tag)
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return t + length + value


SW_OK = b"\x90\x00"
SW_NOT_FOUND = b"\x6a\x82"
SW_RECORD_NOT_FOUND = b"\x6a\x83"
SW_DATA_NOT_FOUND = b"\x6a\x88"
SW_INS_NOT_SUPPORTED = b"\x6d\x00"


SW_CONDITIONS_NOT_SATISFIED = b"\x69\x85"


class T0Card:
    """Wraps a card handler so the card answers as a T=0 card does (ISO 7816-3 / 7816-4):
    a command that sends data and gets data back (SELECT, GET PROCESSING OPTIONS) is answered 61xx, and the
    data is fetched with GET RESPONSE, at most `chunk` bytes a time (61xx again while more is left); a command that
    only gets data (READ RECORD, GET DATA) whose Le is not the data's length is answered 6Cxx, and the terminal
    sends it again with that Le. Status-only answers and errors go back unchanged."""

    def __init__(self, handler, chunk=0x40):
        self.handler = handler
        self.chunk = chunk
        self.pending = b""

    def _more(self):
        return bytes([0x61, min(len(self.pending), self.chunk)]) if self.pending else SW_OK

    def __call__(self, apdu):
        if apdu[1] == 0xC0:  # GET RESPONSE
            if not self.pending:
                return SW_CONDITIONS_NOT_SATISFIED
            wanted = apdu[4] if len(apdu) > 4 and apdu[4] else 256
            part, self.pending = self.pending[:wanted], self.pending[wanted:]
            return part + self._more()
        self.pending = b""
        answer = self.handler(apdu)
        data, sw = answer[:-2], answer[-2:]
        if not data or sw != SW_OK:
            return answer
        if len(apdu) > 5:  # case 4: command data in, response data out
            self.pending = data
            return self._more()
        le = apdu[4] if len(apdu) == 5 else None
        return answer if le == len(data) else bytes([0x6C, len(data)])


class ScriptedOS(SmartcardOS):
    """Answers each APDU through the card's handler; optionally disappears mid-session."""

    def __init__(self, atr, handler, vanish_after):
        self.atr = atr
        self.handler = handler
        self.vanish_after = vanish_after
        self.count = 0

    def getATR(self):
        return self.atr

    def powerUp(self):
        pass

    def powerDown(self):
        pass

    def reset(self):
        pass

    def execute(self, msg):
        self.count += 1
        if self.vanish_after is not None and self.count > self.vanish_after:
            # The card is pulled out: the connection to the reader drops without an answer.
            logging.warning("vanishing before APDU %d: %s", self.count, msg.hex())
            os._exit(0)
        answer = self.handler(bytes(msg))
        logging.info("APDU %s -> %s", bytes(msg).hex(), answer.hex())
        return answer


def emv_transaction(apdu, pdol_length, records, data):
    """What an EMV application answers after it is selected: GET PROCESSING OPTIONS (checking the PDOL data's
    length, AFL over SFI 1 record 1 and SFI 2 records 1-2), READ RECORD from `records` {(sfi, n): bytes} and GET
    DATA from `data` {tag: bytes}. None for any other command, so the card's own handler answers it."""
    cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
    if cla == 0x80 and ins == 0xA8:
        body = apdu[5:5 + apdu[4]]
        if body[0] != 0x83 or body[1] != pdol_length:
            return b"\x67\x00"  # wrong length: the PDOL asks for pdol_length bytes
        afl = bytes([1 << 3, 1, 1, 0, 2 << 3, 1, 2, 0])
        return tlv("77", tlv("82", bytes.fromhex("7C00")) + tlv("94", afl)) + SW_OK
    if ins == 0xB2:
        record = records.get((p2 >> 3, p1))
        return record + SW_OK if record is not None else SW_RECORD_NOT_FOUND
    if cla == 0x80 and ins == 0xCA:
        tag = p1 << 8 | p2
        value = data.get(tag)
        return tlv("%04X" % tag, value) + SW_OK if value is not None else SW_DATA_NOT_FOUND
    return None


def run(atr, handler):
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=35963)
    parser.add_argument("--vanish-after", type=int, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    level = logging.INFO if args.verbose else logging.WARNING
    deadline = time.time() + 30
    while True:
        try:
            vicc = VirtualICC(None, "iso7816", args.host, args.port, logginglevel=level)
            break
        except SystemExit:
            # pcscd has not loaded the vpcd driver yet: its port is not listening.
            if time.time() > deadline:
                sys.exit("cannot reach vpcd on %s:%d" % (args.host, args.port))
            time.sleep(0.2)
    vicc.os = ScriptedOS(atr, handler, args.vanish_after)
    print("card ready", flush=True)
    vicc.run()
