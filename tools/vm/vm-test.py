#!/usr/bin/env python3
"""The emulated-terminal test (`make vm-test`): boots the arm64 machine built by build-image.sh,
waits for the arm64 NativeAOT firmware to answer /health on a forwarded port, checks the kernel
devices the qemu-virt-arm64 board names, signs with the uinput pen driven inside the VM, reads an
ID card through the USB serial pair, fetches both from the host over the forwarded UOS port as a
PC page would, and saves QEMU screendumps of the framebuffer.

    python3 tools/vm/vm-test.py --image out/vm --out out/vm-test

Writes OUT/screen.png (the signing window with the ink), OUT/signature.png, OUT/card.json,
OUT/result.json (every check, timings, what is missing) and OUT/run/ (console.log, firmware log).
Exit status 0 when every check passed. A feature the firmware does not have yet (it answers
"not supported") is reported as missing; it fails the test only with --strict.
"""
import argparse
import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from images import count_ink, differing_pixels, read_ppm  # noqa: E402
from vmctl import Console, Qmp  # noqa: E402
from wsclient import WebSocket  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BOARD = "qemu-virt-arm64"
SCREEN = (1280, 800)
# The signing window the test asks for (screen pixels) and the signature it writes in it.
WINDOW = {"pos_x": 240, "pos_y": 150, "width": 800, "height": 500}
NOT_SUPPORTED = "6"
# The board's GPIO lines on the PL061 (gpiochip0), as debugfs names them.
GPIO_LINES = {"led": 0, "buzzer": 1, "backlight": 2}


class Failure(Exception):
    pass


def free_ports(n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def log(message):
    print(f"[vm-test {time.strftime('%H:%M:%S')}] {message}", flush=True)


def signature_strokes():
    """A hand-written-looking signature inside WINDOW: a capital loop, a wave and an underline."""
    x0, y0, w, h = WINDOW["pos_x"], WINDOW["pos_y"], WINDOW["width"], WINDOW["height"]
    import math
    loop = [(x0 + w * (0.18 + 0.08 * math.cos(t / 10 * math.pi)), y0 + h * (0.40 + 0.18 * math.sin(t / 10 * math.pi)))
            for t in range(0, 21)]
    wave = [(x0 + w * (0.30 + 0.5 * t / 40), y0 + h * (0.45 + 0.12 * math.sin(t / 40 * 6 * math.pi))) for t in range(0, 41)]
    underline = [(x0 + w * 0.15, y0 + h * 0.72), (x0 + w * 0.55, y0 + h * 0.70), (x0 + w * 0.85, y0 + h * 0.66)]
    return [loop, wave, underline]


class VmTest:
    def __init__(self, args):
        self.args = args
        self.out = os.path.abspath(args.out)
        self.run_dir = os.path.join(self.out, "run")
        os.makedirs(self.run_dir, exist_ok=True)
        self.uos, self.camera, self.admin = free_ports(3)
        self.result = {"board": BOARD, "checks": {}, "missing": [], "timings": {}}
        self.qemu = None
        self.console = None
        self.qmp = None

    # --- plumbing -------------------------------------------------------------------------
    def check(self, name, ok, detail=""):
        self.result["checks"][name] = {"ok": bool(ok), "detail": detail}
        log(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
        if not ok:
            raise Failure(f"{name}: {detail}")

    def missing(self, feature, detail):
        self.result["missing"].append({"feature": feature, "detail": detail})
        log(f"MISSING {feature}: {detail}")

    def health(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.admin}/health", timeout=10) as r:
            return json.loads(r.read())

    def screendump_ppm(self, name="poll.ppm"):
        path = os.path.join(self.run_dir, name)
        self.qmp.execute("screendump", filename=path)
        return read_ppm(path)

    def wait_for_screen_change(self, before, region, minimum, timeout):
        """Polls the framebuffer (QEMU screendump) until at least `minimum` pixels in region changed."""
        deadline = time.monotonic() + timeout
        while True:
            now = self.screendump_ppm()
            changed = differing_pixels(before, now, region)
            if changed >= minimum:
                return now, changed
            if time.monotonic() > deadline:
                return now, changed
            time.sleep(0.5)

    def open_uos(self, flag=1):
        return WebSocket("127.0.0.1", self.uos, f"/{flag}", timeout=60)

    # --- stages -------------------------------------------------------------------------
    def boot(self):
        qemu_log = open(os.path.join(self.run_dir, "qemu.log"), "w")
        log(f"booting {self.args.image} (uos={self.uos} camera={self.camera} admin={self.admin})")
        self.t0 = time.monotonic()
        self.qemu = subprocess.Popen(
            [os.path.join(HERE, "run-vm.sh"), self.args.image, self.run_dir, str(self.uos), str(self.camera), str(self.admin)],
            stdout=qemu_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = self.t0 + self.args.boot_timeout
        body = None
        while body is None:
            if self.qemu.poll() is not None:
                raise Failure(f"qemu exited with {self.qemu.returncode}; see {self.run_dir}/qemu.log and console.log")
            if time.monotonic() > deadline:
                raise Failure(f"/health did not answer within {self.args.boot_timeout}s; see {self.run_dir}/console.log")
            try:
                body = self.health()
            except (OSError, ValueError):
                time.sleep(0.5)
        seconds = time.monotonic() - self.t0
        self.result["timings"]["boot_to_health_seconds"] = round(seconds, 1)
        self.result["health_at_boot"] = body
        # "degraded" is an answer too: it names a device that is absent, which the device checks below judge.
        absent = [f"{d['name']} ({d['state']}: {d.get('detail', '')})" for d in body.get("devices", []) if d.get("state") in ("absent", "faulted")]
        self.check("health", body.get("status") in ("ok", "degraded") and body.get("board") == BOARD,
                   f"/health answered {seconds:.1f}s after qemu started: status={body.get('status')} board={body.get('board')}"
                   + (f"; not there: {', '.join(absent)}" if absent else ""))
        self.console = Console(os.path.join(self.run_dir, "console.sock"))
        self.qmp = Qmp(os.path.join(self.run_dir, "qmp.sock"))
        uptime = self.console.check("cut -d' ' -f1 /proc/uptime")
        self.result["timings"]["guest_uptime_at_first_console_command_seconds"] = float(uptime)

    def devices(self):
        fb = self.console.check("cat /sys/class/graphics/fb0/virtual_size /sys/class/graphics/fb0/bits_per_pixel")
        self.check("fb0", fb.split() == [f"{SCREEN[0]},{SCREEN[1]}", "32"], f"/dev/fb0 virtual_size,bpp = {fb.split()}")
        pens = self.console.check("grep -A5 'Name=\"Appliance VM Pen\"' /proc/bus/input/devices | sed -n 's/^H: Handlers=//p'")
        self.check("uinput pen", "event" in pens, f"evdev handlers of 'Appliance VM Pen': {pens.strip()}")
        ttys = self.console.check("ls /dev/ttyACM0 /dev/ttyGS0 && cat /sys/class/tty/ttyACM0/device/../product")
        self.check("usb serial pair", "/dev/ttyACM0" in ttys and "/dev/ttyGS0" in ttys, ttys.replace("\n", " "))
        body = self.health()
        self.result["health"] = body
        listed = {d["name"]: d for d in body.get("devices", [])}
        # The board names the pen by its evdev name; once the driver has found it, /health shows its node.
        for name, locations in (("screen", ["/dev/fb0"]), ("pen", ["Appliance VM Pen", "/dev/input/event"]),
                                ("idCard", ["/dev/ttyACM0"]), ("gpio", ["/dev/gpiochip0"])):
            d = listed.get(name)
            self.check(f"/health lists {name}", d is not None and any(d.get("location", "").startswith(l) for l in locations),
                       f"{d}" if d else "not listed")
            if d.get("state") == "starting" and "waiting for its driver" in d.get("detail", ""):
                self.missing(f"{name} driver", f"/health: {d['location']} {d['detail']} (the driver is not in this build)")
            else:
                self.check(f"/health {name} ready", d.get("state") == "ready", f"{d['state']}: {d['location']} {d.get('detail', '')}")

    def pen_thread(self):
        """The pen reader thread (it also draws each sample) runs SCHED_FIFO: policy and rt_priority from /proc."""
        out = self.console.check(
            "for t in /proc/$(pidof appliance)/task/*; do [ \"$(cat $t/comm)\" = pen-reader ] && "
            "sed 's/^.*) //' $t/stat | awk '{print \"policy\", $39, \"rt_priority\", $38}'; done; true")
        fields = out.split()
        policy = fields[1] if len(fields) >= 4 else "?"
        self.check("pen thread SCHED_FIFO", policy == "1", f"pen-reader thread: {out.strip() or 'not found'} (1 = SCHED_FIFO)")

    def gpio_lines(self):
        """The board's GPIO lines as the kernel sees them (debugfs): {function: (consumer, direction, level)}."""
        text = self.console.check("cat /sys/kernel/debug/gpio")
        base = re.search(r"gpiochip0: GPIOs (\d+)-", text)
        if not base:
            return {}
        held = {int(m[1]) - int(base[1]): (m[2].strip(), m[3].strip(), m[4])
                for m in re.finditer(r"gpio-(\d+) \([^|]*\|([^)]*)\) (out|in ) (hi|lo|\?)", text)}
        return {name: held.get(line) for name, line in GPIO_LINES.items()}

    def gpio(self):
        """After start: the firmware holds LED, buzzer and backlight as outputs of the real PL061, LED and backlight lit."""
        lines = self.gpio_lines()
        self.check("gpio lines held by the firmware", all(v and v[0] == "appliance" and v[1] == "out" for v in lines.values()),
                   f"/sys/kernel/debug/gpio: {lines}")
        levels = {name: v[2] for name, v in lines.items()}
        self.check("gpio led and backlight on, buzzer quiet", levels == {"led": "hi", "buzzer": "lo", "backlight": "hi"}, f"{levels}")

    def wait_for_led(self, level, timeout):
        """Polls the LED line until it reads `level` (it blinks on the firmware's clock while a task is on screen)."""
        deadline = time.monotonic() + timeout
        while True:
            led = self.gpio_lines().get("led")
            if (led and led[2] == level) or time.monotonic() > deadline:
                return led
            time.sleep(0.2)

    def serial_number(self):
        ws = self.open_uos()
        try:
            ws.send_json({"cmdtype": "getSerialnum", "message": {}})
            answer = ws.receive_json(30)
        finally:
            ws.close()
        self.check("uos getSerialnum", answer and answer.get("response") == "serialnum" and answer.get("message"),
                   f"{answer}")

    def sign(self):
        ws = self.open_uos()
        try:
            blank = self.screendump_ppm("before-sign.ppm")
            ws.send_json({"cmdtype": "getsign", "message": dict(WINDOW, penwidth=3)})
            early = ws.receive_json(5)
            if early and early.get("response") == NOT_SUPPORTED:
                self.missing("signing", f"getsign answered {early}")
                return False
            if early is not None and early.get("response") != "btninfo":
                self.check("getsign accepted", False, f"unexpected first answer {early}")
            region = (WINDOW["pos_x"], WINDOW["pos_y"], WINDOW["width"], WINDOW["height"])
            shown, changed = self.wait_for_screen_change(blank, region, 1000, 60)
            self.check("signing window on fb0", changed >= 1000, f"{changed} pixels of the window region changed")
            led = self.wait_for_led("lo", 30)
            self.check("gpio led blinks while the window waits", led and led[2] == "lo", f"led line: {led}")
            strokes = signature_strokes()
            played_before = int(self.console.check("grep -c played /var/log/vm-pen.log || true") or 0)
            for stroke in strokes:
                points = " ".join(f"{x:.0f},{y:.0f}" for x, y in stroke)
                self.console.check(f"echo 'stroke {points}' > /run/vm-pen")
            # vm-pen logs each stroke once its last sample is written; then the screen settles.
            self.console.check(f"n=0; until [ $(grep -c played /var/log/vm-pen.log) -ge {played_before + len(strokes)} ]; do "
                               f"n=$((n+1)); [ $n -gt 600 ] && exit 1; sleep 0.1; done")
            inked, changed = self.wait_for_screen_change(shown, region, 300, 60)
            while True:
                settled = self.screendump_ppm()
                if differing_pixels(inked, settled, region) == 0:
                    break
                inked = settled
                time.sleep(0.5)
            changed = differing_pixels(shown, inked, region)
            self.check("ink on fb0", changed >= 1000, f"{changed} pixels changed under the pen")
            self.qmp.screendump(os.path.join(self.out, "screen.png"))
            self.result["screen_png"] = os.path.join(self.out, "screen.png")
            self.confirm_signature()
            answer = None
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                answer = ws.receive_json(max(1, deadline - time.monotonic()))
                if answer is None or answer.get("response") == "signbase64":
                    break
            self.check("signbase64 received", answer and answer.get("response") == "signbase64", f"{str(answer)[:200]}")
            png = base64.b64decode(answer["message"].split(",", 1)[-1])
            with open(os.path.join(self.out, "signature.png"), "wb") as f:
                f.write(png)
            width, height, ink = count_ink(png)
            self.check("signature PNG has ink", ink >= 200, f"{width}x{height}, {ink} ink pixels")
            # Ready again: steady on. Read for longer than a blink period (1 s): a blinking LED would read "lo" at least once.
            reads = []
            until = time.monotonic() + 2.5
            while time.monotonic() < until:
                reads.append((self.gpio_lines().get("led") or ("", "", "?"))[2])
            self.check("gpio led steady after the signature", reads and set(reads) == {"hi"}, f"led levels read: {reads}")
            return True
        finally:
            ws.close()

    def confirm_signature(self):
        """Taps the signing window's confirm button with the pen."""
        x = WINDOW["pos_x"] + WINDOW["width"] - 80
        y = WINDOW["pos_y"] + WINDOW["height"] - 40
        self.console.check(f"echo 'stroke {x},{y}' > /run/vm-pen")

    def idcard_module_over_usb(self):
        """Before any driver owns /dev/ttyACM0: ask the module for its SAM id (GA 467 frame) across the
        USB pair and check the answer's header and status, proving the link and the module simulator."""
        d = {x["name"]: x for x in self.result["health"].get("devices", [])}.get("idCard", {})
        if d.get("state") != "starting":
            return
        request = "\\252\\252\\252\\226\\151\\000\\003\\022\\377\\356"  # AA AA AA 96 69 00 03 12 FF EE
        out = self.console.check(
            "exec 3<>/dev/ttyACM0; printf '" + request + "' >&3; "
            "timeout 10 dd bs=1 count=27 <&3 2>/dev/null | hexdump -v -e '27/1 \"%02x \"'; exec 3<&-")
        answer = out.split()
        self.check("SAM module answers over USB serial", answer[:5] == ["aa", "aa", "aa", "96", "69"] and answer[9:10] == ["90"],
                   f"SAM id request -> {' '.join(answer)}")

    def card(self):
        ws = self.open_uos()
        try:
            ws.send_json({"cmdtype": "getcard", "message": {}})
            answer = ws.receive_json(60)
        finally:
            ws.close()
        if answer and answer.get("response") == NOT_SUPPORTED:
            self.missing("ID card", f"getcard answered {answer}")
            return False
        self.check("idcardinfo received", answer and answer.get("response") == "idcardinfo", f"{str(answer)[:200]}")
        card = answer["message"]
        with open(os.path.join(self.out, "card.json"), "w", encoding="utf-8") as f:
            json.dump(card, f, ensure_ascii=False, indent=2)
        self.check("card read through /dev/ttyACM0", card.get("name") and len(card.get("idnum", "")) == 18,
                   f"name={card.get('name')} idnum={card.get('idnum')}")
        return True

    def final_screendump(self):
        path = os.path.join(self.out, "screen.png")
        if "screen_png" not in self.result:
            self.qmp.screendump(path)
            self.result["screen_png"] = path
        self.check("screendump", os.path.getsize(path) > 0, path)

    def collect_logs(self):
        if self.console:
            for name in ("appliance.log", "vm-pen.log", "vm-idcard-module.log"):
                try:
                    status, text = self.console.run(f"cat /var/log/{name}", timeout=30)
                    if status == 0:
                        with open(os.path.join(self.run_dir, name), "w") as f:
                            f.write(text + "\n")
                except Exception:  # noqa: BLE001 - logs are best effort while tearing down
                    pass

    def shutdown(self):
        for closeable in (self.console, self.qmp):
            if closeable:
                try:
                    closeable.close()
                except OSError:
                    pass
        if self.qemu and self.qemu.poll() is None:
            self.qemu.terminate()
            try:
                self.qemu.wait(20)
            except subprocess.TimeoutExpired:
                self.qemu.kill()
                self.qemu.wait()

    def run(self):
        status = 1
        try:
            self.boot()
            self.devices()
            self.pen_thread()
            self.gpio()
            self.serial_number()
            self.idcard_module_over_usb()
            self.sign()
            self.card()
            self.final_screendump()
            status = 0
            if self.result["missing"] and self.args.strict:
                log("--strict: missing features fail the test")
                status = 1
        except Exception as e:  # noqa: BLE001 - any failure ends in result.json and a clean shutdown
            log(f"FAILED: {e}")
            self.result["error"] = str(e)
        finally:
            self.collect_logs()
            self.shutdown()
            self.result["passed"] = status == 0
            with open(os.path.join(self.out, "result.json"), "w", encoding="utf-8") as f:
                json.dump(self.result, f, ensure_ascii=False, indent=2)
        log(f"{'PASSED' if status == 0 else 'FAILED'}; boot to /health {self.result['timings'].get('boot_to_health_seconds')}s; "
            f"missing: {[m['feature'] for m in self.result['missing']] or 'nothing'}; results in {self.out}")
        return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--image", default="out/vm")
    parser.add_argument("--out", default="out/vm-test")
    parser.add_argument("--boot-timeout", type=int, default=600)
    parser.add_argument("--strict", action="store_true", help="a feature the firmware lacks fails the test")
    sys.exit(VmTest(parser.parse_args()).run())


if __name__ == "__main__":
    main()
