"""A small RFC 6455 WebSocket client (text frames, masking, fragments, ping/pong) on the Python
standard library, so the VM test needs nothing from PyPI. It speaks to the firmware exactly as a
PC page's browser does."""
import base64
import json
import os
import socket
import struct
import time


class WebSocket:
    def __init__(self, host, port, path, timeout=60, origin=None):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n")
        if origin:
            request += f"Origin: {origin}\r\n"
        self.sock.sendall((request + "\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError(f"WebSocket {path}: connection closed during the handshake")
            head += chunk
        head, self.pending = head.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            raise ConnectionError(f"WebSocket {path}: handshake refused: {status}")

    def _exact(self, n):
        while len(self.pending) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("WebSocket closed")
            self.pending += chunk
        data, self.pending = self.pending[:n], self.pending[n:]
        return data

    def _send_frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def send_json(self, obj):
        self._send_frame(0x1, json.dumps(obj, ensure_ascii=False).encode())

    def receive(self, timeout):
        """Returns the next text message, or None on timeout."""
        deadline = time.monotonic() + timeout
        message = b""
        while True:
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                b0, b1 = self._exact(2)
            except socket.timeout:
                return None
            self.sock.settimeout(60)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            mask = self._exact(4) if b1 & 0x80 else None
            payload = self._exact(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = b0 & 0x0F
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise ConnectionError(f"WebSocket closed by the server: {payload[2:].decode('utf-8', 'replace')}")
            if opcode in (0x0, 0x1, 0x2):
                message += payload
                if b0 & 0x80:
                    return message.decode()

    def receive_json(self, timeout):
        text = self.receive(timeout)
        return None if text is None else json.loads(text)

    def close(self):
        try:
            self._send_frame(0x8, struct.pack(">H", 1000))
        finally:
            self.sock.close()
