"""Drives a running emulated terminal from the host: its serial console (a shell) and QEMU's QMP.

Used by tools/vm/vm-test.py; also handy by hand:

    python3 tools/vm/vmctl.py out/vm-test/run sh 'cat /proc/bus/input/devices'
    python3 tools/vm/vmctl.py out/vm-test/run screendump /tmp/screen.png
"""
import json
import os
import socket
import sys
import time
import uuid


class Console:
    """The VM's ttyAMA0, a busybox shell once /init has finished. One command at a time."""

    def __init__(self, path, timeout=60):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        self.sock.connect(path)

    def close(self):
        self.sock.close()

    def run(self, command, timeout=120):
        """Runs a shell command in the VM; returns (exit status, output). Output is framed by markers
        so boot messages or echo on the console cannot be mistaken for it."""
        tag = uuid.uuid4().hex[:8]
        begin, end = f"<<{tag}>>", f"<<{tag}:"
        # The markers are built by the shell (printf '%s'), so the echoed command line never matches them.
        line = f"printf '\\n%s\\n' '<<{tag}''>>'; {{ {command} ; }} 2>&1; printf '\\n%s%s>>\\n' '<<{tag}:' $?\n"
        self.sock.sendall(line.encode())
        buffer = b""
        deadline = time.monotonic() + timeout
        while True:
            text = buffer.decode("utf-8", "replace")
            start = text.find(begin + "\n") if begin + "\n" in text else text.find(begin + "\r\n")
            if start >= 0:
                stop = text.find(end, start)
                if stop >= 0 and text.find(">>", stop + len(end)) >= 0:
                    status = int(text[stop + len(end):text.find(">>", stop + len(end))])
                    body = text[start + len(begin):stop].replace("\r\n", "\n").strip("\n")
                    return status, body
            if time.monotonic() > deadline:
                raise TimeoutError(f"VM console: no answer to {command!r} within {timeout}s; got {text[-500:]!r}")
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise ConnectionError("VM console closed")
            buffer += chunk

    def check(self, command, timeout=120):
        status, out = self.run(command, timeout)
        if status != 0:
            raise RuntimeError(f"VM command failed ({status}): {command}\n{out}")
        return out


class Qmp:
    """QEMU's machine protocol: screendump and quit."""

    def __init__(self, path, timeout=60):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb")
        self._read()  # greeting
        self.execute("qmp_capabilities")

    def _read(self):
        while True:
            line = self.file.readline()
            if not line:
                raise ConnectionError("QMP closed")
            message = json.loads(line)
            if "event" not in message:
                return message

    def execute(self, command, **arguments):
        request = {"execute": command}
        if arguments:
            request["arguments"] = arguments
        self.file.write(json.dumps(request).encode() + b"\n")
        self.file.flush()
        answer = self._read()
        if "error" in answer:
            raise RuntimeError(f"QMP {command}: {answer['error']}")
        return answer.get("return")

    def screendump(self, png_path):
        self.execute("screendump", filename=os.path.abspath(png_path), format="png")

    def close(self):
        self.sock.close()


if __name__ == "__main__":
    run_dir, verb, *rest = sys.argv[1:]
    if verb == "sh":
        status, output = Console(os.path.join(run_dir, "console.sock")).run(" ".join(rest))
        print(output)
        sys.exit(status)
    if verb == "screendump":
        Qmp(os.path.join(run_dir, "qmp.sock")).screendump(rest[0])
        sys.exit(0)
    sys.exit(f"unknown verb {verb}: sh COMMAND | screendump FILE.png")
