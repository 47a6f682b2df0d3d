#!/usr/bin/env python3
"""show_sign_pdf end to end against a running sim-board terminal (issue 15's figure "sign-to-signed-PDF"):
opens FILE over the CameraService WebSocket, taps the page, signs in the signature window and taps Finish through
the sim pen (POST /sim/pen), RUNS times; prints how long show_sign_pdf took to answer and Finish tap -> signoff.

    out/linux-x64/appliance --board sim --state-dir "$(mktemp -d)" --config none --discovery:enabled=false \\
        --bind 127.0.0.1 --uos-port 42349 --camera-port 48088 --admin-port 48090 &
    tools/bench/sign-pdf.py FILE [RUNS]

The taps assume the sim board's 1280x800 panel, the document at fit_height (any portrait page lies across x 400-880),
the signature window at its default place and the seven-button toolbar (long press signs: no Sign button)."""
import base64, hashlib, json, os, statistics, sys, time, urllib.request
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vm"))
from wsclient import WebSocket

ADMIN, CAMERA = 48090, 48088
PAGE, OK_BUTTON, FINISH_BUTTON = (495, 476), (998, 552), (1185, 758)


def pen(samples):
    body = json.dumps({"samples": samples}).encode()
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{ADMIN}/sim/pen", data=body, headers={"Content-Type": "application/json"}))


def tap(x, y):
    pen([{"x": x, "y": y, "pressure": 0.5, "down": True}, {"x": x, "y": y, "pressure": 0, "down": False}])


def main():
    pdf = open(sys.argv[1], "rb").read()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    ws = WebSocket("127.0.0.1", CAMERA, "/")
    opened, signed = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        ws.send_json({"function": "show_sign_pdf", "params": {"base64": base64.b64encode(pdf).decode(), "default_mode": "sign", "preview_zoom": "fit_height"}})
        answer = ws.receive_json(30)
        assert answer["code"] == "0", answer
        opened.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.5)
        tap(*PAGE)
        time.sleep(0.6)
        pen([{"x": 300 + i * 10, "y": 400 + i, "pressure": 0.6, "down": True} for i in range(60)] + [{"x": 900, "y": 460, "pressure": 0, "down": False}])
        time.sleep(0.2)
        tap(*OK_BUTTON)
        info = ws.receive_json(60)
        assert info["function"] == "sign_pdf_info", info
        time.sleep(0.3)
        t1 = time.perf_counter()
        tap(*FINISH_BUTTON)
        signoff = ws.receive_json(60)
        signed.append((time.perf_counter() - t1) * 1000)
        assert signoff["code"] == "0", {k: v for k, v in signoff.items() if k != "pdf"}
        assert hashlib.sha256(base64.b64decode(signoff["pdf"])).hexdigest() == signoff["sha256"]
        time.sleep(3.5)  # the outcome stays on screen 3 s before the next document may open
    print("show_sign_pdf answered (ms):", [round(x) for x in opened], "median", round(statistics.median(opened)))
    print("Finish tap -> signoff received (ms):", [round(x) for x in signed], "median after the first",
          round(statistics.median(signed[1:] or signed)), "(the first makes the device key)")


if __name__ == "__main__":
    main()
