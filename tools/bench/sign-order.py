#!/usr/bin/env python3
"""A signing order end to end against a running sim-board terminal (issue 19's figures): pairs (reading the code off
the sim screen with tesseract), runs a local https receiver, places RUNS seed-002 orders (one organisation signer,
placement on page 1), signs each at the counter through the sim pen (POST /sim/pen) and waits for PushSignedDoc.
Prints order accepted (ms), Finish tap -> push received (ms), and the terminal's RSS after the runs.

    out/linux-x64/appliance --board sim --state-dir "$(mktemp -d)" --config none --discovery:enabled=false \\
        --bind 127.0.0.1 --uos-port 42349 --camera-port 48088 --admin-port 48090 &
    tools/bench/sign-order.py FILE [RUNS]

The taps assume the sim board's 1280x800 panel: the document window's toolbar of eight buttons along the bottom
(签名 Sign sixth, 完成 Finish last) and the full-screen signature window's 确认 OK."""
import base64, hashlib, hmac, json, os, re, ssl, statistics, subprocess, sys, tempfile, threading, time, urllib.request
from http.server import HTTPServer, BaseHTTPRequestHandler

ADMIN = 48090
SIGN_BUTTON, FINISH_BUTTON, OK_BUTTON = (882, 758), (1200, 758), (1190, 752)


def post(path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{ADMIN}{path}", data=json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
                                 headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))


def pen(samples):
    body = json.dumps({"samples": samples}).encode()
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{ADMIN}/sim/pen", data=body, headers={"Content-Type": "application/json"}))


def tap(x, y):
    pen([{"x": x, "y": y, "pressure": 0.5, "down": True}, {"x": x, "y": y, "pressure": 0, "down": False}])


def pair():
    request_id = post("/pair/request", {"name": "sign-order bench"})["data"]["requestId"]
    time.sleep(0.5)
    with tempfile.NamedTemporaryFile(suffix=".png") as shot:
        shot.write(urllib.request.urlopen(f"http://127.0.0.1:{ADMIN}/sim/screen.png").read())
        shot.flush()
        text = subprocess.run(["tesseract", shot.name, "-", "--psm", "11"], capture_output=True, text=True).stdout
    code = re.search(r"\b\d{6}\b", text).group(0)
    data = post("/pair/confirm", {"requestId": request_id, "code": code})["data"]
    return data["keyId"], data["secret"]


def signed(key_id, secret, body):
    """Seed 004 §2.5.3: every non-empty top-level parameter (nested ones as their JSON text), sorted, key=value&..., HMAC-SHA256, base64."""
    body.update({"appId": key_id, "signAlgo": "HMAC", "version": "1.0", "timestamp": str(int(time.time() * 1000)), "nonce": os.urandom(16).hex()})
    texts = {k: (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))) for k, v in body.items()}
    string_a = "&".join(f"{k}={texts[k]}" for k in sorted(texts) if texts[k] != "")
    body["signature"] = base64.b64encode(hmac.new(secret.encode(), string_a.encode(), hashlib.sha256).digest()).decode()
    return body


class Receiver(BaseHTTPRequestHandler):
    pushes = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.pushes.append((time.perf_counter(), json.loads(body), self.headers.get("Idempotency-Key")))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"1")

    def log_message(self, *args):
        pass


def receiver():
    folder = tempfile.mkdtemp()
    key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-keyout", key, "-out", cert, "-days", "1",
                    "-nodes", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "der"], check=True, capture_output=True).stdout
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"https://127.0.0.1:{server.server_port}/push", hashlib.sha256(der).hexdigest()


def main():
    pdf = open(sys.argv[1], "rb").read()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    key_id, secret = pair()
    url, pin = receiver()
    accepted, pushed = [], []
    for run in range(runs):
        order = {"actiontype": "CreateSignOrder", "filebase": base64.b64encode(pdf).decode(), "fileformat": "pdf",
                 "orderNumber": f"BENCH-{int(time.time())}-{run}", "subject": "bench", "callbackUrl": url, "callbackPin": pin,
                 "signerlist": [{"signType": 1, "orgName": "示例科技有限公司", "orgNo": "91110101MA00000000",
                                 "signlist": [{"pagenumber": 1, "position": "0.55,0.10,0.85,0.20"}]}]}
        t0 = time.perf_counter()
        answer = post("/orders/wosign", signed(key_id, secret, order))
        accepted.append((time.perf_counter() - t0) * 1000)
        assert answer["status"] == 1, answer
        time.sleep(1.0)
        tap(*SIGN_BUTTON)
        time.sleep(0.8)
        pen([{"x": 300 + i * 10, "y": 400 + (i % 7) * 4, "pressure": 0.6, "down": True} for i in range(60)] + [{"x": 900, "y": 420, "pressure": 0, "down": False}])
        time.sleep(0.3)
        tap(*OK_BUTTON)
        time.sleep(0.8)
        before = len(Receiver.pushes)
        t1 = time.perf_counter()
        tap(*FINISH_BUTTON)
        while len(Receiver.pushes) == before:
            if time.perf_counter() - t1 > 60:
                sys.exit(f"run {run}: no push within 60 s")
            time.sleep(0.005)
        at, body, key = Receiver.pushes[-1]
        pushed.append((at - t1) * 1000)
        content = base64.b64decode(body["extendData"]["content"])
        assert body["status"] == 1 and hashlib.sha256(content).hexdigest() == body["extendData"]["hash"], body
        assert key == order["orderNumber"] + ":" + body["extendData"]["hash"], key
        time.sleep(3.5)  # the outcome stays on screen 3 s
    health = json.load(urllib.request.urlopen(f"http://127.0.0.1:{ADMIN}/health"))
    print("order accepted (ms):", [round(x) for x in accepted], "median", round(statistics.median(accepted)))
    print("Finish tap -> PushSignedDoc received (ms):", [round(x) for x in pushed], "median after the first",
          round(statistics.median(pushed[1:] or pushed)), "(the first makes the device key)")
    print("RSS after", runs, "orders:", round(health["memory"]["rssBytes"] / 1e6, 1), "MB")



if __name__ == "__main__":
    main()
