"""A webhook receiver for Bellwether's notification tests, verifying signatures on its own.

Listens on 127.0.0.1 (port 0: the system picks), prints `listening PORT`, then one JSON line per
request: its path, lower-cased headers, parsed body, and `signature`: "valid", "invalid" or
"absent" as Python's hmac module judges `X-Bellwether-Signature` against HMAC-SHA256 of
`<X-Bellwether-Timestamp>.<body>` keyed with `--secret` (or the secret named for the path with
`--path-secret /path=SECRET`). Answers 503 to the first `--fail-first` requests, then 200.
"""
import argparse
import hashlib
import hmac
import json
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

# The test process blocks SIGTERM in its threads, and a child inherits the signal mask through
# exec: unblocked here, or WebhookReceiver.stop's terminate() is never delivered and the receiver
# outlives the test run.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

parser = argparse.ArgumentParser()
parser.add_argument("--secret", default="")
parser.add_argument("--path-secret", action="append", default=[])
parser.add_argument("--fail-first", type=int, default=0)
args = parser.parse_args()
secrets = dict(entry.split("=", 1) for entry in args.path_secret)
seen = 0


def judge(path, headers, body):
    signature = headers.get("x-bellwether-signature")
    timestamp = headers.get("x-bellwether-timestamp")
    if signature is None:
        return "absent"
    secret = secrets.get(path, args.secret).encode()
    expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return "valid" if hmac.compare_digest(expected, signature) else "invalid"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        seen += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        status = 503 if seen <= args.fail_first else 200
        record = {
            "path": self.path, "headers": headers, "body": json.loads(body),
            "signature": judge(self.path, headers, body), "status": status,
        }
        print(json.dumps(record), flush=True)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
