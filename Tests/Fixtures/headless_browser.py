#!/usr/bin/env python3
"""Drives Debian's headless chromium over the DevTools protocol (--remote-debugging-pipe), with
the standard library only, for the dashboard's real-browser test.

Loads URL, waits (with a deadline) until the page's JavaScript makes READY true, saves the
rendered DOM and a full-page screenshot, and prints `ready`. With --then, it next reads one line
from standard input (the test changing something on the server), waits until THEN is true, saves
the DOM again to --then-dom and prints `done`. Any failure prints `error: ...` and exits 1.
"""
import argparse, base64, json, os, shutil, subprocess, sys, tempfile, time


class Browser:
    def __init__(self, binary, width, height):
        self.profile = tempfile.mkdtemp(prefix="bellwether-chromium-")
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()

        def pipes():  # chromium reads commands on fd 3 and writes answers on fd 4
            reading, writing = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=pipes,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.writer = os.fdopen(to_browser_w, "wb", buffering=0)
        self.reader = os.fdopen(from_browser_r, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.writer.write(json.dumps(message).encode() + b"\0")
        while True:
            answer = self.receive()
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = self.reader.read(65536)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Page.navigate", {"url": url})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            return None
        return result["result"].get("value")

    def wait_until(self, expression, deadline_seconds):
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            if self.evaluate(f"Boolean({expression})"):
                return
            time.sleep(0.05)
        raise RuntimeError(f"not true within {deadline_seconds}s: {expression}; page text: "
                           + str(self.evaluate("document.body ? document.body.innerText.slice(0, 2000) : ''")))

    def save_dom(self, path):
        with open(path, "w", encoding="utf-8") as file:
            file.write(self.evaluate("document.documentElement.outerHTML"))

    def screenshot(self, path, width):
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)") or 800)
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--url", required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--dom", required=True)
    parser.add_argument("--screenshot")
    parser.add_argument("--then")
    parser.add_argument("--then-dom")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--deadline", type=float, default=30)
    args = parser.parse_args()
    browser = Browser(args.chromium, args.width, 900)
    try:
        browser.open(args.url)
        browser.wait_until(args.ready, args.deadline)
        browser.save_dom(args.dom)
        if args.screenshot:
            browser.screenshot(args.screenshot, args.width)
        print("ready", flush=True)
        if args.then:
            sys.stdin.readline()
            browser.wait_until(args.then, args.deadline)
            browser.save_dom(args.then_dom)
            print("done", flush=True)
    except Exception as error:  # reported to the test, which fails with it
        print(f"error: {error}", flush=True)
        sys.exit(1)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
